using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using Coap.Engine.Protocol;

namespace Coap.Engine.Messaging;

/// <summary>
/// Remembers received CON and NON messages for EXCHANGE_LIFETIME with the reply that went out, so a duplicate gets the
/// same reply and never reaches a handler twice (RFC 7252 §4.5), within a memory budget in bytes and a share of it per
/// peer. Callers hold the endpoint's lock.
/// </summary>
/// <remarks>
/// <para>
/// Memory is counted in units of <see cref="UnitCost"/> bytes: an entry (peer, message ID, fingerprint, expiry) with
/// the first <see cref="UnitData"/> bytes of its reply takes one unit, a longer reply one more unit per
/// <see cref="UnitData"/> bytes. Units live in two arrays (bookkeeping and reply bytes) of the budget's size, made once
/// and reused through a free list, so the table holds no object per entry for the garbage collector to trace or free,
/// and nothing beyond the budget. The arrays come from fresh memory that the kernel backs only as units are first
/// used, so a quiet server does not pay for the whole budget; arrays that grew by doubling would leave each old copy
/// for the collector and, under load, hold up to twice the budget.
/// </para>
/// <para>
/// All entries live equally long, so insertion order is expiry order: entries form one list oldest first (expiry pops
/// its head) and each peer's entries a list of their own. A peer over its share (Coap:DeduplicationMemoryPerPeer)
/// forgets its own oldest entry, so one peer alone never pushes out another's entries. When the whole budget is used,
/// the peers holding more than a quarter of their share (<see cref="ReservedUnits"/>) give up their oldest entry in
/// turn; when none does, the newcomer's peer gives up its own oldest, and only a peer with no entry at all takes the
/// oldest entry of all. So several busy peers together do not push out a quiet peer's recent messages either; a crowd
/// of new addresses (spoofed, say) can. RFC 7252 §4.5 lets a server forget, at the price of a late duplicate being
/// processed again.
/// </para>
/// <para>
/// Each entry also keeps a <see cref="Fingerprint"/> of its message. A retransmission is the same message, so a message
/// with a known ID but another fingerprint is new: the peer reused the ID within EXCHANGE_LIFETIME. RFC 7252 §4.4
/// forbids that, but a client moving more than 65 536 messages in 247 s has no other choice (3 MiB in 16-byte blocks;
/// libcoap's and our client both wrap), and replaying the old reply would hand it another block's response: libcoap's
/// client then wrote the wrong bytes. Such an entry is taken over by the new message and keeps its place (and expiry).
/// </para>
/// </remarks>
internal sealed class Deduplicator
{
    /// <summary>The reply bytes one unit holds.</summary>
    public const int UnitData = 64;

    /// <summary>What one unit costs: 56 bytes of bookkeeping, <see cref="UnitData"/> bytes of reply, up to 8 of index.</summary>
    public const int UnitCost = 128;

    private const int None = -1;

    private readonly long _lifetimeTicks;
    private readonly int _maxUnits;
    private readonly int _maxUnitsPerPeer;
    private readonly int _maxEntries;
    private readonly int[] _buckets;
    private readonly int _bucketShift;
    private readonly Unit[] _units;
    private readonly byte[] _data;
    private int _highWater;
    private int _free = None;
    private int _oldest = None;
    private int _newest = None;
    private int _used;
    private readonly PeerList _over = new(static peer => ref peer.DeduplicationOver);

    /// <param name="lifetime">How long an entry is kept: EXCHANGE_LIFETIME.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in.</param>
    /// <param name="memory">The bytes all entries may take together.</param>
    /// <param name="memoryPerPeer">The bytes one peer's entries may take.</param>
    /// <param name="maxEntries">At most this many entries whatever their size; null for no count beyond the bytes.</param>
    public Deduplicator(TimeSpan lifetime, long timestampFrequency, long memory, long memoryPerPeer, int? maxEntries = null)
    {
        _lifetimeTicks = (long)(lifetime.TotalSeconds * timestampFrequency);
        _maxUnits = (int)Math.Clamp(memory / UnitCost, 1, Array.MaxLength / UnitData);
        _maxUnitsPerPeer = (int)Math.Clamp(memoryPerPeer / UnitCost, 1, _maxUnits);
        ReservedUnits = Math.Max(1, _maxUnitsPerPeer / 4);
        _maxEntries = maxEntries ?? int.MaxValue;
        var bucketBits = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(_maxUnits, 16)));
        _buckets = new int[1 << bucketBits];
        _bucketShift = 32 - bucketBits;
        Array.Fill(_buckets, None);
        _units = new Unit[_maxUnits];
        _data = new byte[_maxUnits * UnitData];
    }

    /// <summary>The units of a peer's entries that other peers take only when nobody holds more: a quarter of its share.</summary>
    public int ReservedUnits { get; }

    /// <summary>The messages remembered.</summary>
    public int Count { get; private set; }

    /// <summary>The bytes the remembered messages and their replies take, in units of <see cref="UnitCost"/>.</summary>
    public long BytesUsed => (long)_used * UnitCost;

    /// <summary>
    /// True for a new message; false for a duplicate, with a copy of the encoded reply sent for it (null while in
    /// progress, or when the reply could not be kept).
    /// </summary>
    public bool TryBegin(MessageKey key, long now, out byte[]? reply) => TryBegin(key, 0, now, out reply);

    /// <summary>
    /// As <see cref="TryBegin(MessageKey, long, out byte[])"/>; a known message ID with another
    /// <paramref name="fingerprint"/> is a new message (a reused ID, see the remarks on the class).
    /// </summary>
    public bool TryBegin(MessageKey key, ulong fingerprint, long now, out byte[]? reply)
    {
        reply = null;
        var index = Find(key.Peer, key.MessageId);
        if (index != None)
        {
            if (_units[index].Fingerprint == fingerprint)
            {
                reply = ReadReply(index);
                return false;
            }

            ReleaseReply(index);
            _units[index].Fingerprint = fingerprint;
            return true;
        }

        if (!MakeRoom(key.Peer, 1, protect: None, newEntry: true))
        {
            return true;
        }

        index = Allocate(key.Peer);
        ref var unit = ref _units[index];
        unit.Peer = key.Peer;
        unit.MessageId = key.MessageId;
        unit.Fingerprint = fingerprint;
        unit.ExpiresAt = now + _lifetimeTicks;
        unit.ReplyLength = None;
        unit.More = None;
        unit.PeerNewer = None;
        unit.Newer = None;
        unit.Older = _newest;
        if (_newest != None)
        {
            _units[_newest].Newer = index;
        }
        else
        {
            _oldest = index;
        }

        _newest = index;
        var peer = key.Peer;
        if (peer.DeduplicationNewest != None)
        {
            _units[peer.DeduplicationNewest].PeerNewer = index;
        }
        else
        {
            peer.DeduplicationOldest = index;
        }

        peer.DeduplicationNewest = index;
        ref var bucket = ref _buckets[Bucket(peer, key.MessageId)];
        unit.HashNext = bucket;
        bucket = index;
        Count++;
        return true;
    }

    /// <summary>
    /// Records the encoded reply to replay when the message comes again. A reply that does not fit the peer's share
    /// even after its older entries are forgotten is not kept: a duplicate is then dropped like one in progress.
    /// </summary>
    public void SetReply(MessageKey key, ReadOnlySpan<byte> reply)
    {
        var index = Find(key.Peer, key.MessageId);
        if (index == None)
        {
            return;
        }

        ReleaseReply(index);
        var extra = reply.Length <= UnitData ? 0 : (reply.Length - 1) / UnitData;
        if (extra > 0 && !MakeRoom(key.Peer, extra, protect: index, newEntry: false))
        {
            return;
        }

        reply[..Math.Min(reply.Length, UnitData)].CopyTo(_data.AsSpan(index * UnitData, UnitData));
        var previous = index;
        for (var offset = UnitData; offset < reply.Length; offset += UnitData)
        {
            var next = Allocate(key.Peer);
            _units[next].Peer = key.Peer;
            _units[next].More = None;
            _units[previous].More = next;
            reply.Slice(offset, Math.Min(UnitData, reply.Length - offset)).CopyTo(_data.AsSpan(next * UnitData, UnitData));
            previous = next;
        }

        _units[index].ReplyLength = reply.Length;
    }

    /// <summary>Forgets the entries that have outlived EXCHANGE_LIFETIME.</summary>
    public void RemoveExpired(long now)
    {
        while (_oldest != None && _units[_oldest].ExpiresAt <= now)
        {
            Remove(_oldest);
        }
    }

    /// <summary>
    /// A hash of the type, the code, the token, every option (number and value) and the payload (XxHash3): what tells
    /// a retransmission (the same message) from another message under the same ID. The type counts because a CON
    /// reusing the ID of a NON is not its retransmission: replaying the NON's reply would leave the CON without its
    /// ACK; the payload's bytes count because two publications of the same length are not the same message.
    /// Allocates nothing.
    /// </summary>
    public static ulong Fingerprint(CoapMessage message)
    {
        Span<byte> header = stackalloc byte[2 + CoapToken.MaxLength];
        header[0] = message.Code.Value;
        header[1] = (byte)((int)message.Type | (message.Token.Length << 4));
        message.Token.CopyTo(header[2..]);
        var hash = XxHash3.HashToUInt64(header[..(2 + message.Token.Length)]);
        foreach (var option in message.Options)
        {
            hash = XxHash3.HashToUInt64(option.Value.Span, (long)(hash ^ ((ulong)option.Number << 48) ^ ((ulong)option.Value.Length << 32)));
        }

        return XxHash3.HashToUInt64(message.Payload.Span, (long)hash);
    }

    private int Find(CoapPeer peer, ushort messageId)
    {
        var index = _buckets[Bucket(peer, messageId)];
        while (index != None)
        {
            ref var unit = ref _units[index];
            if (unit.MessageId == messageId && ReferenceEquals(unit.Peer, peer))
            {
                return index;
            }

            index = unit.HashNext;
        }

        return None;
    }

    private int Bucket(CoapPeer peer, ushort messageId) =>
        (int)((((uint)RuntimeHelpers.GetHashCode(peer) * 0x85EBCA6Bu) ^ messageId) * 0x9E3779B1u >> _bucketShift);

    /// <summary>
    /// Forgets entries until <paramref name="units"/> more fit the peer's share and the budget: the peer's own oldest
    /// first, then those of the peers beyond their reserve in turn, then its own again, then the oldest of all. False
    /// when only <paramref name="protect"/> stands in the way.
    /// </summary>
    private bool MakeRoom(CoapPeer peer, int units, int protect, bool newEntry)
    {
        while (peer.DeduplicationUnits + units > _maxUnitsPerPeer)
        {
            var oldest = peer.DeduplicationOldest;
            if (oldest == None || oldest == protect)
            {
                return false;
            }

            Remove(oldest);
        }

        while (_used + units > _maxUnits || (newEntry && Count >= _maxEntries))
        {
            var victim = _over.First is { } over && over.DeduplicationOldest != protect ? over.DeduplicationOldest
                : peer.DeduplicationOldest is var own && own != None && own != protect ? own
                : _oldest;
            if (victim == None || victim == protect)
            {
                return false;
            }

            var owner = _units[victim].Peer!;
            Remove(victim);
            if (owner == _over.First && owner != _over.Last)
            {
                _over.Remove(owner);
                _over.Append(owner);
            }
        }

        return true;
    }

    /// <summary>Keeps the list of peers beyond their reserve up to date as a peer's units change by one.</summary>
    private void Recount(CoapPeer peer, int delta)
    {
        peer.DeduplicationUnits += delta;
        if (delta > 0 && peer.DeduplicationUnits == ReservedUnits + 1)
        {
            _over.Append(peer);
        }
        else if (delta < 0 && peer.DeduplicationUnits == ReservedUnits)
        {
            _over.Remove(peer);
        }
    }

    /// <summary>Forgets an entry; it is always the oldest of its peer's.</summary>
    private void Remove(int index)
    {
        ref var unit = ref _units[index];
        var peer = unit.Peer!;
        peer.DeduplicationOldest = unit.PeerNewer;
        if (unit.PeerNewer == None)
        {
            peer.DeduplicationNewest = None;
        }

        if (unit.Older != None)
        {
            _units[unit.Older].Newer = unit.Newer;
        }
        else
        {
            _oldest = unit.Newer;
        }

        if (unit.Newer != None)
        {
            _units[unit.Newer].Older = unit.Older;
        }
        else
        {
            _newest = unit.Older;
        }

        ref var link = ref _buckets[Bucket(peer, unit.MessageId)];
        while (link != index)
        {
            link = ref _units[link].HashNext;
        }

        link = unit.HashNext;
        ReleaseReply(index);
        Release(index);
        Count--;
    }

    private byte[]? ReadReply(int index)
    {
        var length = _units[index].ReplyLength;
        if (length < 0)
        {
            return null;
        }

        var reply = new byte[length];
        for (var offset = 0; offset < length; offset += UnitData)
        {
            _data.AsSpan(index * UnitData, Math.Min(UnitData, length - offset)).CopyTo(reply.AsSpan(offset));
            index = _units[index].More;
        }

        return reply;
    }

    /// <summary>Frees the units of an entry's reply beyond its first and marks it as having none.</summary>
    private void ReleaseReply(int index)
    {
        ref var unit = ref _units[index];
        var more = unit.More;
        unit.More = None;
        unit.ReplyLength = None;
        while (more != None)
        {
            var next = _units[more].More;
            Release(more);
            more = next;
        }
    }

    private int Allocate(CoapPeer peer)
    {
        int index;
        if (_free != None)
        {
            index = _free;
            _free = _units[index].Newer;
        }
        else
        {
            index = _highWater++;
        }

        _used++;
        Recount(peer, 1);
        return index;
    }

    private void Release(int index)
    {
        ref var unit = ref _units[index];
        Recount(unit.Peer!, -1);
        unit.Peer = null;
        unit.Newer = _free;
        _free = index;
        _used--;
    }

    /// <summary>
    /// One unit: an entry (the first unit of a message: its key, fingerprint, expiry, its places in the lists of all
    /// entries, of its peer's and of its hash bucket) or the continuation of a reply (<see cref="More"/> only).
    /// </summary>
    private struct Unit
    {
        public CoapPeer? Peer;
        public ulong Fingerprint;
        public long ExpiresAt;
        public int Older;
        public int Newer;
        public int PeerNewer;
        public int HashNext;
        public int More;
        public int ReplyLength;
        public ushort MessageId;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Coap.Engine.Protocol;

namespace Coap.Engine.Messaging;

/// <summary>
/// Remembers received CON and NON message IDs for EXCHANGE_LIFETIME with the reply that went out, so a duplicate
/// gets the same reply and never reaches a handler twice (RFC 7252 §4.5). All entries live equally long, so a FIFO
/// queue orders their expiry; a size cap drops the oldest first. Replies are kept encoded in a <see cref="ReplyRing"/>,
/// so an entry holds no object the garbage collector must trace. Callers hold the endpoint's lock.
/// </summary>
/// <remarks>
/// Each entry also keeps a fingerprint of the message (<see cref="Fingerprint"/>: type, code, token, options, payload
/// length). A retransmission is the same message, so a message with a known ID but another fingerprint is new: the
/// peer reused the ID within EXCHANGE_LIFETIME. RFC 7252 §4.4 forbids that, but a client moving more than 65 536
/// messages in 247 s has no other choice (3 MiB in 16-byte blocks; libcoap's and our client both wrap), and
/// replaying the old reply would hand it another block's response: libcoap's client then wrote the wrong bytes.
/// Such an entry is taken over by the new message and keeps its place (and expiry) in the queue.
/// </remarks>
internal sealed class Deduplicator
{
    private readonly Dictionary<MessageKey, Entry> _replies = [];
    private readonly Queue<(MessageKey Key, long ExpiresAt)> _order = new();
    private readonly ReplyRing _ring;
    private readonly long _lifetimeTicks;
    private readonly int _capacity;

    public Deduplicator(TimeSpan lifetime, long timestampFrequency, int capacity, int replySlabs = DefaultReplySlabs)
    {
        _lifetimeTicks = (long)(lifetime.TotalSeconds * timestampFrequency);
        _capacity = capacity;
        _ring = new ReplyRing(replySlabs);
    }

    /// <summary>32 MiB of replies at most: tens of seconds of history at full load, the span retransmissions come in.</summary>
    public const int DefaultReplySlabs = 32;

    public int Count => _replies.Count;

    /// <summary>
    /// True for a new message; false for a duplicate, with a copy of the encoded reply sent for it (null while in
    /// progress, or when the ring has overwritten it).
    /// </summary>
    public bool TryBegin(MessageKey key, long now, out byte[]? reply) => TryBegin(key, 0, now, out reply);

    /// <summary>
    /// As <see cref="TryBegin(MessageKey, long, out byte[])"/>; a known message ID with another
    /// <paramref name="fingerprint"/> is a new message (a reused ID, see the remarks on the class).
    /// </summary>
    public bool TryBegin(MessageKey key, ulong fingerprint, long now, out byte[]? reply)
    {
        while (_replies.Count >= _capacity && _order.TryDequeue(out var oldest))
        {
            _replies.Remove(oldest.Key);
        }

        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_replies, key, out var exists);
        if (exists && slot.Fingerprint == fingerprint)
        {
            reply = slot.ReplyLength < 0 ? null : _ring.Read(slot.ReplyStart, slot.ReplyLength);
            return false;
        }

        slot = new Entry(fingerprint, 0, -1);
        reply = null;
        if (!exists)
        {
            _order.Enqueue((key, now + _lifetimeTicks));
        }

        return true;
    }

    /// <summary>Records the encoded reply to replay when the message comes again.</summary>
    public void SetReply(MessageKey key, ReadOnlySpan<byte> reply)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_replies, key);
        if (!Unsafe.IsNullRef(ref slot))
        {
            slot = slot with { ReplyStart = _ring.Store(reply), ReplyLength = reply.Length };
        }
    }

    public void RemoveExpired(long now)
    {
        while (_order.TryPeek(out var head) && head.ExpiresAt <= now)
        {
            _order.Dequeue();
            _replies.Remove(head.Key);
        }
    }

    /// <summary>
    /// FNV-1a 64 over the type, the code, the token, every option (number and value) and the payload's length: what
    /// tells a retransmission (the same message) from another message under the same ID. The type counts because a
    /// CON reusing the ID of a NON is not its retransmission: replaying the NON's reply would leave the CON without
    /// its ACK. Allocates nothing.
    /// </summary>
    public static ulong Fingerprint(CoapMessage message)
    {
        const ulong Prime = 0x100000001b3;
        var hash = 0xcbf29ce484222325 ^ (ulong)message.Code.Value ^ ((ulong)message.Type << 8);
        Span<byte> token = stackalloc byte[CoapToken.MaxLength];
        token = token[..message.Token.Length];
        message.Token.CopyTo(token);
        hash = (hash * Prime) ^ (ulong)token.Length;
        foreach (var b in token)
        {
            hash = (hash * Prime) ^ b;
        }

        foreach (var option in message.Options)
        {
            hash = (hash * Prime) ^ option.Number;
            foreach (var b in option.Value.Span)
            {
                hash = (hash * Prime) ^ b;
            }
        }

        return (hash * Prime) ^ (ulong)message.Payload.Length;
    }

    /// <summary>A remembered message: its fingerprint and where its reply is in the ring (length -1: none yet).</summary>
    private readonly record struct Entry(ulong Fingerprint, long ReplyStart, int ReplyLength);
}

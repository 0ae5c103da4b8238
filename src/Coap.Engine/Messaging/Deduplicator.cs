using System.Runtime.InteropServices;
using Coap.Engine.Protocol;

namespace Coap.Engine.Messaging;

/// <summary>
/// Remembers received CON and NON message IDs for EXCHANGE_LIFETIME with the reply that went out, so a duplicate
/// gets the same reply and never reaches a handler twice (RFC 7252 §4.5). All entries live equally long, so a FIFO
/// queue orders their expiry; a size cap drops the oldest first. Callers hold the endpoint's lock.
/// </summary>
/// <remarks>
/// Each entry also keeps a fingerprint of the message (<see cref="Fingerprint"/>: code, token, options, payload
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
    private readonly long _lifetimeTicks;
    private readonly int _capacity;

    public Deduplicator(TimeSpan lifetime, long timestampFrequency, int capacity)
    {
        _lifetimeTicks = (long)(lifetime.TotalSeconds * timestampFrequency);
        _capacity = capacity;
    }

    public int Count => _replies.Count;

    /// <summary>True for a new message; false for a duplicate, with the reply sent for it so far (null while in progress).</summary>
    public bool TryBegin(MessageKey key, long now, out CoapMessage? reply) => TryBegin(key, 0, now, out reply);

    /// <summary>
    /// As <see cref="TryBegin(MessageKey, long, out CoapMessage?)"/>; a known message ID with another
    /// <paramref name="fingerprint"/> is a new message (a reused ID, see the remarks on the class).
    /// </summary>
    public bool TryBegin(MessageKey key, ulong fingerprint, long now, out CoapMessage? reply)
    {
        while (_replies.Count >= _capacity && _order.TryDequeue(out var oldest))
        {
            _replies.Remove(oldest.Key);
        }

        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_replies, key, out var exists);
        if (exists && slot.Fingerprint == fingerprint)
        {
            reply = slot.Reply;
            return false;
        }

        slot = new Entry(null, fingerprint);
        reply = null;
        if (!exists)
        {
            _order.Enqueue((key, now + _lifetimeTicks));
        }

        return true;
    }

    /// <summary>Records the reply to replay when the message comes again.</summary>
    public void SetReply(MessageKey key, CoapMessage reply)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_replies, key);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
        {
            slot = slot with { Reply = reply };
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
    /// FNV-1a 64 over the code, the token, every option (number and value) and the payload's length: what tells a
    /// retransmission (the same message) from another message under the same ID. Allocates nothing.
    /// </summary>
    public static ulong Fingerprint(CoapMessage message)
    {
        const ulong Prime = 0x100000001b3;
        var hash = 0xcbf29ce484222325 ^ (ulong)message.Code.Value;
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

    private readonly record struct Entry(CoapMessage? Reply, ulong Fingerprint);
}

using System.Runtime.InteropServices;
using Coap.Engine.Protocol;

namespace Coap.Engine.Messaging;

/// <summary>
/// Remembers received CON and NON message IDs for EXCHANGE_LIFETIME with the reply that went out, so a duplicate
/// gets the same reply and never reaches a handler twice (RFC 7252 §4.5). All entries live equally long, so a FIFO
/// queue orders their expiry; a size cap drops the oldest first. Callers hold the endpoint's lock.
/// </summary>
internal sealed class Deduplicator
{
    private readonly Dictionary<MessageKey, CoapMessage?> _replies = [];
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
    public bool TryBegin(MessageKey key, long now, out CoapMessage? reply) => TryBegin(key, null, now, out reply);

    /// <summary>
    /// As <see cref="TryBegin(MessageKey, long, out CoapMessage?)"/>, but a message whose recorded reply is a
    /// piggybacked response with a token other than <paramref name="token"/> is new: a retransmission carries the
    /// same token, so the peer reused the message ID within EXCHANGE_LIFETIME (RFC 7252 §4.4 forbids it, yet a
    /// client sending more than 65 536 messages in 247 s must), and replaying the old reply would answer the new
    /// request with a response its client cannot match. The entry keeps its place (and expiry) in the queue.
    /// </summary>
    public bool TryBegin(MessageKey key, CoapToken? token, long now, out CoapMessage? reply)
    {
        while (_replies.Count >= _capacity && _order.TryDequeue(out var oldest))
        {
            _replies.Remove(oldest.Key);
        }

        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_replies, key, out var exists);
        reply = slot;
        if (exists)
        {
            if (token is { } t && slot is { Code.IsResponse: true } previous && previous.Token != t)
            {
                slot = null;
                reply = null;
                return true;
            }

            return false;
        }

        _order.Enqueue((key, now + _lifetimeTicks));
        return true;
    }

    /// <summary>Records the reply to replay when the message comes again.</summary>
    public void SetReply(MessageKey key, CoapMessage reply)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(_replies, key);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
        {
            slot = reply;
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
}

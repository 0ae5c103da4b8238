namespace Coap.Engine.Messaging;

/// <summary>A CON in flight replaced by a newer message (RFC 7641 §4.5.2).</summary>
internal sealed partial class MessageManager
{
    /// <summary>
    /// Stops retransmitting <paramref name="messageId"/> and sends <paramref name="replacement"/>, encoded under its
    /// own <paramref name="replacementId"/>, in its place. The retransmission counter and timeout carry on rather than
    /// restart, and the transmission's task completes with the replacement's ACK, RST or give-up. False when the old
    /// message was no longer in flight; nothing is sent then.
    /// </summary>
    public bool Replace(CoapPeer peer, ushort messageId, ushort replacementId, byte[] replacement)
    {
        lock (_gate)
        {
            if (!_outgoing.Remove(new MessageKey(peer, messageId), out var entry))
            {
                return false;
            }

            entry.Key = new MessageKey(peer, replacementId);
            entry.Datagram = replacement;
            entry.SentAt = Now;
            _outgoing[entry.Key] = entry;
        }

        peer.Transport.Send(replacement, peer.Address);
        return true;
    }
}

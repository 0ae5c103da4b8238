using Coap.Engine.Protocol;

namespace Coap.Engine.Messaging;

/// <summary>Duplicate detection (RFC 7252 §4.5).</summary>
internal sealed partial class MessageManager
{
    /// <summary>
    /// Registers a received CON or NON message. A duplicate returns false: its earlier reply, if one went out,
    /// is sent again here, so the caller only has to drop it.
    /// </summary>
    public bool Admit(CoapPeer peer, CoapMessage message)
    {
        byte[]? reply;
        bool isNew;
        lock (_gate)
        {
            isNew = _deduplicator.TryBegin(new MessageKey(peer, message.MessageId), Deduplicator.Fingerprint(message), Now, out reply);
        }

        if (!isNew)
        {
            Log.Duplicate(_logger, peer, message.MessageId, reply is not null);
            if (reply is not null)
            {
                peer.Transport.Send(reply, peer.Address);
            }
        }

        return isNew;
    }

    /// <summary>Sends the reply to a received message and remembers its bytes for duplicates.</summary>
    public void SendReply(CoapPeer peer, ushort receivedMessageId, CoapMessage reply) =>
        Send(peer, reply, new MessageKey(peer, receivedMessageId));

    /// <summary>Drops what has outlived EXCHANGE_LIFETIME.</summary>
    public void RemoveExpired()
    {
        lock (_gate)
        {
            _deduplicator.RemoveExpired(Now);
        }
    }

    public int DeduplicationCount
    {
        get
        {
            lock (_gate)
            {
                return _deduplicator.Count;
            }
        }
    }
}

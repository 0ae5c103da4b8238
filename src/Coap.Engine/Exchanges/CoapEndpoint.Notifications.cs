using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Exchanges;

/// <summary>Unsolicited responses out: Observe notifications (RFC 7641 §4.5), which answer no request of the moment.</summary>
public sealed partial class CoapEndpoint
{
    /// <summary>Told of an RST that no CON in flight explains; true when it answered a notification (RFC 7641 §3.6).</summary>
    internal Func<CoapPeer, ushort, bool>? UnmatchedReset { get; set; }

    /// <summary>Called once when the endpoint is disposed, before its transports close.</summary>
    internal Action? Stopping { get; set; }

    internal CoapEndpointOptions Options => _options;

    internal ILogger Logger => _logger;

    /// <summary>Sends a NON notification under a fresh message ID, which it returns.</summary>
    internal ushort SendNonConfirmable(CoapPeer peer, CoapMessage message)
    {
        message.Type = CoapMessageType.NonConfirmable;
        message.MessageId = _messages.NextMessageId();
        _messages.Send(peer, message);
        return message.MessageId;
    }

    /// <summary>Sends a CON notification under a fresh message ID, retransmitted until ACK, RST or give-up.</summary>
    internal Task<TransmissionOutcome> SendConfirmable(CoapPeer peer, CoapMessage message)
    {
        message.Type = CoapMessageType.Confirmable;
        message.MessageId = _messages.NextMessageId();
        return _messages.SendConfirmable(peer, message);
    }

    /// <summary>
    /// Puts a newer CON notification in place of one still being retransmitted (RFC 7641 §4.5.2); false when the
    /// old one already ended, and then nothing was sent.
    /// </summary>
    internal bool TryReplaceConfirmable(CoapPeer peer, ushort inFlight, CoapMessage message)
    {
        message.Type = CoapMessageType.Confirmable;
        message.MessageId = _messages.NextMessageId();
        return _messages.Replace(peer, inFlight, message);
    }

    private bool OnNotificationReset(CoapPeer peer, ushort messageId) => UnmatchedReset?.Invoke(peer, messageId) ?? false;
}

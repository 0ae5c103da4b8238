using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Observe;

/// <summary>
/// What the Observe stage needs of the endpoint to send notifications, which answer no request of the moment
/// (RFC 7641 §4.5): fresh message IDs, NON and CON sends, the replacement of a CON still in flight (§4.5.2), and the
/// endpoint's clock and logger. Handed to the stage when it is built, so the stage never reaches into the
/// endpoint.
/// </summary>
internal interface INotificationSender
{
    TimeProvider Time { get; }

    /// <summary>The endpoint itself: the handlers' way to send requests of their own from it (<c>CoapRequestContext.Endpoint</c>).</summary>
    CoapEndpoint Endpoint { get; }

    ILogger Logger { get; }

    /// <summary>Sends a NON notification under a fresh message ID, which it returns.</summary>
    ushort SendNonConfirmable(CoapPeer peer, EncodedNotification notification, CoapToken token);

    /// <summary>
    /// Sends <paramref name="response"/> itself as a NON under a fresh message ID with <paramref name="token"/> (the
    /// blocks of a Q-Block2 burst ahead of the request's response), encoded once into a pooled buffer.
    /// </summary>
    void SendNonConfirmable(CoapPeer peer, CoapMessage response, CoapToken token);

    /// <summary>Sends a CON notification under a fresh message ID, retransmitted until ACK, RST or give-up.</summary>
    ConfirmableNotification SendConfirmable(CoapPeer peer, EncodedNotification notification, CoapToken token);

    /// <summary>
    /// Sends a newer CON notification in place of <paramref name="inFlight"/>, still being retransmitted; the new
    /// message ID, or null when the old one already ended (then nothing was sent).
    /// </summary>
    ushort? TryReplaceConfirmable(CoapPeer peer, ushort inFlight, EncodedNotification notification, CoapToken token);

    /// <summary>Stops retransmitting a CON notification.</summary>
    void Cancel(CoapPeer peer, ushort messageId);

    /// <summary>The endpoint's amplification guard, which the server pipeline applies to OSCORE requests after unprotecting them.</summary>
    AmplificationGuard Amplification { get; }
}

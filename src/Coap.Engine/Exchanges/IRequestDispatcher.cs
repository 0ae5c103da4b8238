using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// What the exchange layer hands a request to: the server pipeline. The endpoint builds it with an
/// <see cref="Observe.INotificationSender"/> (see <see cref="CoapEndpoint"/>'s constructor) and tells it of the
/// events only the endpoint sees.
/// </summary>
internal interface IRequestDispatcher
{
    ValueTask<CoapMessage> DispatchAsync(CoapMessage request, CoapPeer peer, CancellationToken aborted);

    /// <summary>Whether the request goes to a resource that wants unsafe requests from verified peers only (RFC 9175 §2.4).</summary>
    bool ChangesNeedVerifiedPeer(CoapMessage request);

    /// <summary>Whether the thread that received the request may run it at once (<see cref="Server.ResourceMetadata.RunsInline"/>).</summary>
    bool RunsInline(CoapMessage request) => false;

    /// <summary>An RST that no CON in flight explains; true when it answered a notification (RFC 7641 §3.6).</summary>
    bool OnUnmatchedReset(CoapPeer peer, ushort messageId);

    /// <summary>A datagram to the peer was answered by an ICMP error (port, host or network unreachable).</summary>
    void OnUnreachable(CoapPeer peer);

    /// <summary>The peer's DTLS session ended: the observations registered through it end too.</summary>
    void OnSessionEnded(CoapPeer peer)
    {
    }

    /// <summary>Called once when the endpoint is disposed, before its transports close.</summary>
    void OnStopping();
}

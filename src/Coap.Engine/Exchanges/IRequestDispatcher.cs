using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>What the exchange layer hands a request to: the server pipeline.</summary>
internal interface IRequestDispatcher
{
    /// <summary>Called once by the endpoint that dispatches to it, so that later stages can send unsolicited messages.</summary>
    void Attach(CoapEndpoint endpoint);

    ValueTask<CoapMessage> DispatchAsync(CoapMessage request, CoapPeer peer, CancellationToken aborted);
}

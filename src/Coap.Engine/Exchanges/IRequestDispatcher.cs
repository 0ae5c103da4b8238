using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>What the exchange layer hands a request to: the server pipeline.</summary>
internal interface IRequestDispatcher
{
    ValueTask<CoapMessage> DispatchAsync(CoapMessage request, CoapPeer peer, CancellationToken aborted);
}

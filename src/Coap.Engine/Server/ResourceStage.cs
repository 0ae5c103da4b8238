using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>The last stage: the resource the request was routed to.</summary>
internal sealed class ResourceStage : IServerStage
{
    public ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context) => context.Entry.Resource.HandleAsync(context);
}

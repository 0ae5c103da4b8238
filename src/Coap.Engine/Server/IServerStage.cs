using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>
/// One step of the server pipeline after routing, Kestrel-middleware style: each stage holds the next one and may
/// answer itself, call the next stage, or change the request or the response on the way.
/// </summary>
internal interface IServerStage
{
    ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context);
}

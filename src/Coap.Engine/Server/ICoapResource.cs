using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>Something that answers requests at a path. The engine fills the response's type, message ID and token.</summary>
public interface ICoapResource
{
    ValueTask<CoapMessage> HandleAsync(CoapRequestContext context);
}

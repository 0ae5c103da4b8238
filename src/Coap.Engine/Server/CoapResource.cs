using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>
/// A resource with one method per request code (RFC 7252 §5.8, RFC 8132). Methods it does not override answer
/// 4.05 Method Not Allowed.
/// </summary>
public abstract class CoapResource : ICoapResource
{
    public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context) => context.Request.Code.Value switch
    {
        1 => OnGet(context),
        2 => OnPost(context),
        3 => OnPut(context),
        4 => OnDelete(context),
        5 => OnFetch(context),
        6 => OnPatch(context),
        7 => OnIPatch(context),
        _ => MethodNotAllowed(),
    };

    protected virtual ValueTask<CoapMessage> OnGet(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnPost(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnPut(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnDelete(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnFetch(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnPatch(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnIPatch(CoapRequestContext context) => MethodNotAllowed();

    private static ValueTask<CoapMessage> MethodNotAllowed() =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.MethodNotAllowed));
}

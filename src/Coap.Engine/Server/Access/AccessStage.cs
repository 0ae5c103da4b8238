using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Server.Access;

/// <summary>
/// The first stage after routing: a request the access policy refuses is answered 4.01 (anonymous) or 4.03 (an
/// identity not allowed) before anything else runs for it, so no observer is registered, no upload assembled.
/// </summary>
internal sealed class AccessStage : IServerStage
{
    private static readonly byte[] Unauthorized = Encoding.UTF8.GetBytes("authentication required");
    private static readonly byte[] Forbidden = Encoding.UTF8.GetBytes("not allowed for this identity");

    private readonly AccessPolicy _policy;
    private readonly IServerStage _next;

    public AccessStage(AccessPolicy policy, IServerStage next)
    {
        _policy = policy;
        _next = next;
    }

    public ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context) => _policy.Refusal(context) switch
    {
        null => _next.InvokeAsync(context),
        { } code => ValueTask.FromResult(CoapMessage.CreateResponse(code, code == CoapCode.Unauthorized ? Unauthorized : Forbidden)),
    };
}

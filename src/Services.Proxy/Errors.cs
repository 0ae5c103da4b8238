using System.Text;
using Coap.Engine.Protocol;

namespace Services.Proxy;

/// <summary>The proxy's own answers: an error code with a short diagnostic payload (RFC 7252 §5.5.2).</summary>
internal static class Errors
{
    public static CoapMessage Diagnostic(CoapCode code, string text) =>
        CoapMessage.CreateResponse(code, Encoding.UTF8.GetBytes(text));

    /// <summary>5.03 with the Max-Age after which the client may try again (RFC 7252 §5.9.3.4).</summary>
    public static CoapMessage Busy(string upstream, TimeSpan retryAfter)
    {
        var response = Diagnostic(CoapCode.ServiceUnavailable, $"upstream {upstream} is busy");
        response.MaxAge = (uint)Math.Ceiling(retryAfter.TotalSeconds);
        return response;
    }
}

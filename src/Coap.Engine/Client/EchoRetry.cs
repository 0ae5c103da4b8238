using Coap.Engine.Protocol;

namespace Coap.Engine.Client;

/// <summary>
/// The client's answer to a server that asks it to prove its address or the freshness of a request (RFC 9175 §2.3):
/// a 4.01 Unauthorized with an Echo option is answered by sending the request again with that Echo value, once; a
/// request that already carried an Echo and is refused again gets that refusal as its response. libcoap's client
/// does the same.
/// </summary>
internal static class EchoRetry
{
    /// <summary>
    /// The request to send again after <paramref name="response"/>, or null when the response is not a challenge or
    /// <paramref name="sent"/> already answered one. The copy has the sent request's type, method, options (Echo set to
    /// the challenge's) and payload, and no token: it is a new exchange.
    /// </summary>
    public static CoapMessage? Repeat(CoapMessage sent, CoapMessage response)
    {
        if (response.Code != CoapCode.Unauthorized || !response.Options.TryGet(OptionNumber.Echo, out var echo)
            || sent.Options.Contains(OptionNumber.Echo))
        {
            return null;
        }

        var again = new CoapMessage(new CoapOptionList(sent.Options.Count + 1)) { Type = sent.Type, Code = sent.Code, Payload = sent.Payload };
        foreach (var option in sent.Options)
        {
            again.Options.Add(option);
        }

        again.Options.Add(echo);
        return again;
    }
}

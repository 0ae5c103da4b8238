using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;

namespace Coap.Engine.Tests.Observe;

/// <summary>Requests and assertions the Observe tests share.</summary>
internal static class ObserveRequests
{
    public static CoapMessage Get(string path, ushort mid, ulong token, int? observe = 0, CoapMessageType type = CoapMessageType.Confirmable)
    {
        var request = ServerFixture.Request(CoapCode.Get, path, mid, type, token);
        request.Observe = observe;
        return request;
    }

    public static CoapToken Token(ulong token) => CoapToken.FromUInt64(token, 2);

    public static string Text(CoapMessage message) => Encoding.UTF8.GetString(message.Payload.Span);
}

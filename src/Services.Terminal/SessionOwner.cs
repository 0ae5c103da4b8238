using System.Net;
using Coap.Engine.Server;

namespace Services.Terminal;

/// <summary>
/// Who a session belongs to: the identity that started it (a DTLS PSK identity, wherever it connects from), or, for a
/// peer without one (plain CoAP), its address. Only that owner may use the session; anyone else gets 4.03.
/// </summary>
internal readonly record struct SessionOwner(string? Identity, IPAddress? Address)
{
    public static SessionOwner Of(CoapRequestContext context) =>
        context.Identity is { } identity ? new(identity, null) : new(null, context.RemoteEndPoint.Address);

    public override string ToString() => Identity is { } identity ? "identity " + identity : "address " + Address;
}

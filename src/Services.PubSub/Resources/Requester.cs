using Coap.Engine.Server;

namespace Services.PubSub.Resources;

/// <summary>
/// Who a request acts for, as the broker records and reports it: today the peer's IP address (without the port, which
/// a client changes with every run), once security lands its authenticated identity. A topic keeps its creator's; a
/// change that ends other clients' subscriptions is logged with the requester's.
/// </summary>
internal static class Requester
{
    public static string Of(CoapRequestContext context) => context.RemoteEndPoint.Address.ToString();
}

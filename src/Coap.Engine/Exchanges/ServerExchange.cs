using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// A request whose handler did not answer at once. Whichever comes first, the separate-response timer
/// (empty ACK now, the response later as CON) or the response (piggybacked), decides under this object's lock.
/// </summary>
internal sealed class ServerExchange
{
    public ServerExchange(CoapPeer peer, CoapMessage request)
    {
        Peer = peer;
        Request = request;
    }

    public CoapPeer Peer { get; }

    public CoapMessage Request { get; }

    /// <summary>An empty ACK went out, so the response must go as a separate message.</summary>
    public bool Acknowledged { get; set; }

    public bool Responded { get; set; }

    public ITimer? Timer { get; set; }
}

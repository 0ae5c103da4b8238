using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>The client's open exchanges by (peer, token).</summary>
internal sealed class RequestMatcher
{
    private readonly Dictionary<(CoapPeer, CoapToken), ClientExchange> _open = [];

    public int Count
    {
        get
        {
            lock (_open)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Registers an exchange; false when its token is already in use with that peer.</summary>
    public bool TryAdd(ClientExchange exchange)
    {
        lock (_open)
        {
            return _open.TryAdd((exchange.Peer, exchange.Token), exchange);
        }
    }

    public void Remove(ClientExchange exchange)
    {
        lock (_open)
        {
            if (_open.TryGetValue((exchange.Peer, exchange.Token), out var current) && current == exchange)
            {
                _open.Remove((exchange.Peer, exchange.Token));
            }
        }
    }

    public bool TryFind(CoapPeer peer, CoapToken token, out ClientExchange? exchange)
    {
        lock (_open)
        {
            return _open.TryGetValue((peer, token), out exchange);
        }
    }
}

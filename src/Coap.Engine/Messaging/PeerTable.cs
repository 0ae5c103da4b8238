using System.Net;
using Coap.Engine.Transport;

namespace Coap.Engine.Messaging;

/// <summary>The peers seen through one transport, looked up by the receive buffer's address without allocating.</summary>
internal sealed class PeerTable
{
    private readonly Dictionary<SocketAddress, CoapPeer> _peers = [];

    public PeerTable(IDatagramTransport transport)
    {
        Transport = transport;
    }

    public IDatagramTransport Transport { get; }

    public int Count => _peers.Count;

    /// <summary>Finds or adds the peer; callers hold the endpoint's lock.</summary>
    public CoapPeer GetOrAdd(SocketAddress address, long now)
    {
        if (!_peers.TryGetValue(address, out var peer))
        {
            peer = new CoapPeer(Transport, address);
            _peers.Add(peer.Address, peer);
        }

        peer.LastActivity = now;
        return peer;
    }

    /// <summary>Finds a known peer without adding one; callers hold the endpoint's lock.</summary>
    public CoapPeer? Find(SocketAddress address) => _peers.GetValueOrDefault(address);

    /// <summary>Forgets peers idle since <paramref name="idleBefore"/> that hold no client state and no observation.</summary>
    public void RemoveIdle(long idleBefore)
    {
        List<SocketAddress>? idle = null;
        foreach (var (address, peer) in _peers)
        {
            if (peer.LastActivity < idleBefore && peer.Observations == 0 && peer.NStartGate is null or { CurrentCount: > 0 })
            {
                (idle ??= []).Add(address);
            }
        }

        if (idle is not null)
        {
            foreach (var address in idle)
            {
                _peers.Remove(address);
            }
        }
    }
}

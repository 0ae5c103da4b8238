using System.Net;
using Coap.Engine.Messaging;
using Coap.Engine.Transport;

namespace Coap.Engine.Exchanges;

/// <summary>One transport attached to an endpoint, with the peers seen through it.</summary>
internal sealed class TransportBinding : IDatagramReceiver
{
    /// <summary>How many peers one turn of the sweep looks at before it lets datagrams through again.</summary>
    private const int SweepSlice = 1024;

    private readonly CoapEndpoint _endpoint;
    private readonly PeerTable _peers;

    public TransportBinding(CoapEndpoint endpoint, IDatagramTransport transport, int maxPeers)
    {
        _endpoint = endpoint;
        Transport = transport;
        _peers = new PeerTable(transport, maxPeers);
    }

    public IDatagramTransport Transport { get; }

    public CoapEndpoint Endpoint => _endpoint;

    /// <summary>The peer at <paramref name="address"/>; null when the table is full of peers it may not forget.</summary>
    public CoapPeer? GetPeer(SocketAddress address, long now)
    {
        lock (_peers)
        {
            return _peers.GetOrAdd(address, now);
        }
    }

    /// <summary>Forgets idle peers a slice at a time, so the receive thread never waits for more than one slice.</summary>
    public void RemoveIdlePeers(long idleBefore, long now)
    {
        bool done;
        do
        {
            lock (_peers)
            {
                done = _peers.RemoveIdle(idleBefore, now, SweepSlice);
            }
        }
        while (!done);
    }

    public void OnDatagram(IDatagramTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote) =>
        _endpoint.Receive(this, datagram, remote);

    public bool OnReceiveIdle(IDatagramTransport transport) => _endpoint.Requests?.LetWorkersCatchUp() ?? false;

    public void OnTransportError(IDatagramTransport transport, Exception error) =>
        _endpoint.OnTransportError(transport, error);

    public void OnUnreachable(IDatagramTransport transport, SocketAddress remote)
    {
        if (Find(remote) is { } peer)
        {
            _endpoint.OnUnreachable(peer);
        }
    }

    public void OnSessionEnded(IDatagramTransport transport, SocketAddress remote)
    {
        if (Find(remote) is { } peer)
        {
            _endpoint.OnSessionEnded(peer);
        }
    }

    private CoapPeer? Find(SocketAddress remote)
    {
        lock (_peers)
        {
            return _peers.Find(remote);
        }
    }
}

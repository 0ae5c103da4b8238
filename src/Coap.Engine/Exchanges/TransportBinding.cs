using System.Net;
using Coap.Engine.Messaging;
using Coap.Engine.Transport;

namespace Coap.Engine.Exchanges;

/// <summary>One transport attached to an endpoint, with the peers seen through it.</summary>
internal sealed class TransportBinding : IDatagramReceiver
{
    private readonly CoapEndpoint _endpoint;
    private readonly PeerTable _peers;

    public TransportBinding(CoapEndpoint endpoint, IDatagramTransport transport)
    {
        _endpoint = endpoint;
        Transport = transport;
        _peers = new PeerTable(transport);
    }

    public IDatagramTransport Transport { get; }

    public CoapEndpoint Endpoint => _endpoint;

    public CoapPeer GetPeer(SocketAddress address, long now)
    {
        lock (_peers)
        {
            return _peers.GetOrAdd(address, now);
        }
    }

    public void RemoveIdlePeers(long idleBefore)
    {
        lock (_peers)
        {
            _peers.RemoveIdle(idleBefore);
        }
    }

    public void OnDatagram(IDatagramTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote) =>
        _endpoint.Receive(this, datagram, remote);

    public bool OnReceiveIdle(IDatagramTransport transport) => _endpoint.Requests?.LetWorkersCatchUp() ?? false;

    public void OnTransportError(IDatagramTransport transport, Exception error) =>
        _endpoint.OnTransportError(transport, error);
}

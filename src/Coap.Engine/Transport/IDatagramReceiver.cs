using System.Net;

namespace Coap.Engine.Transport;

/// <summary>Takes datagrams from a transport. The span and address are only valid during the call.</summary>
public interface IDatagramReceiver
{
    void OnDatagram(IDatagramTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote);

    void OnTransportError(IDatagramTransport transport, Exception error);
}

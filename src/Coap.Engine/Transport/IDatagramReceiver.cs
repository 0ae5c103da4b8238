using System.Net;

namespace Coap.Engine.Transport;

/// <summary>Takes datagrams from a transport. The span and address are only valid during the call.</summary>
public interface IDatagramReceiver
{
    void OnDatagram(IDatagramTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote);

    void OnTransportError(IDatagramTransport transport, Exception error);

    /// <summary>
    /// A datagram sent to <paramref name="remote"/> was answered by an ICMP error saying that nothing receives there
    /// (port, host or network unreachable); called on a thread of the transport's choosing.
    /// </summary>
    void OnUnreachable(IDatagramTransport transport, SocketAddress remote);

    /// <summary>
    /// The security session (DTLS) with <paramref name="remote"/> ended: closed, timed out or replaced by a new
    /// handshake from the same address. What was bound to it, such as observations, ends with it (RFC 7252 §9.1).
    /// </summary>
    void OnSessionEnded(IDatagramTransport transport, SocketAddress remote)
    {
    }

    /// <summary>
    /// No more datagrams are waiting: the transport is about to block for the next one. The endpoint lets its request
    /// workers catch up here (briefly), so that datagrams arriving meanwhile are taken in one go afterwards rather than
    /// each waking the receive thread. True asks to be called again after a short while (a millisecond) if no datagram
    /// arrives meanwhile: requests are waiting behind workers that may be blocked.
    /// </summary>
    bool OnReceiveIdle(IDatagramTransport transport);
}

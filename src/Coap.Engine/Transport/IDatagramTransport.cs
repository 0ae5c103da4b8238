using System.Net;
using System.Net.Sockets;

namespace Coap.Engine.Transport;

/// <summary>
/// Moves datagrams, knows nothing of CoAP. Received datagrams are pushed to a receiver on the transport's own
/// thread (and, through <see cref="ReceivePending"/>, on a thread that asks); DTLS later wraps one.
/// </summary>
public interface IDatagramTransport : IAsyncDisposable
{
    /// <summary>The address and port the transport is bound to.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Whether the transport is an IPv6 socket that also carries IPv4 (dual mode): only then is a peer's IPv4-mapped
    /// address (::ffff:a.b.c.d) an IPv4 peer. A transport that is not dual mode keeps such an address as IPv6.
    /// </summary>
    bool DualMode => false;

    /// <summary>
    /// Whether every peer the transport delivers from has proved that it receives at its address (DTLS: it returned the
    /// handshake's cookie), so the engine never challenges it with an Echo (RFC 9175 §2.4) before a large response.
    /// </summary>
    bool VerifiesAddresses => false;

    /// <summary>Starts delivering datagrams to <paramref name="receiver"/>.</summary>
    void Start(IDatagramReceiver receiver);

    /// <summary>Sends one datagram; failures are reported to the receiver's log, never thrown at the caller.</summary>
    void Send(ReadOnlySpan<byte> datagram, SocketAddress remote);

    /// <summary>
    /// Hands datagrams that are already waiting, at most <paramref name="max"/>, to <paramref name="receiver"/> on the
    /// calling thread, without blocking; returns how many. Lets a request worker that ran out of work take the next
    /// requests itself instead of waking the receive thread for each. A transport that cannot returns 0.
    /// </summary>
    int ReceivePending(IDatagramReceiver receiver, int max) => 0;

    /// <summary>
    /// The identity the peer at <paramref name="remote"/> authenticated with (a DTLS PSK identity, a certificate's
    /// subject), or null when the transport authenticates nobody (plain UDP): the peer is anonymous.
    /// </summary>
    string? IdentityOf(SocketAddress remote) => null;
}

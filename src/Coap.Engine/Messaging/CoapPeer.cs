using System.Net;
using Coap.Engine.Transport;

namespace Coap.Engine.Messaging;

/// <summary>A remote endpoint as seen through one transport; interned so that table keys never allocate.</summary>
internal sealed class CoapPeer
{
    private IPEndPoint? _endPoint;
    private int _observations;

    public CoapPeer(IDatagramTransport transport, SocketAddress address)
    {
        Transport = transport;
        Address = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(Address.Buffer.Span);
    }

    public IDatagramTransport Transport { get; }

    /// <summary>The peer's address; owned by the peer, never reused for another receive.</summary>
    public SocketAddress Address { get; }

    public IPEndPoint EndPoint => _endPoint ??= Address.ToIPEndPoint();

    /// <summary>The timestamp of the last datagram to or from the peer.</summary>
    public long LastActivity { get; set; }

    /// <summary>Requests a client has outstanding to this peer; at most NSTART (RFC 7252 §4.7).</summary>
    public SemaphoreSlim? NStartGate { get; set; }

    /// <summary>The peer's requests waiting for a worker; guarded by the endpoint's <see cref="Exchanges.RequestQueue"/>.</summary>
    public Exchanges.PeerRequests? Requests { get; set; }

    /// <summary>Observations the peer holds on this server (RFC 7641); a peer that observes is never forgotten as idle.</summary>
    public int Observations => Volatile.Read(ref _observations);

    public void AddObservations(int delta) => Interlocked.Add(ref _observations, delta);

    /// <summary>
    /// The address as it was addressed: an IPv4 peer reached through a dual-stack socket shows as 127.0.0.1:5683,
    /// not as [::ffff:127.0.0.1]:5683, so that messages and logs name the peer the way the user wrote it.
    /// </summary>
    public override string ToString() =>
        EndPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(EndPoint.Address.MapToIPv4(), EndPoint.Port).ToString() : EndPoint.ToString();
}

using System.Net;
using Coap.Engine.Transport;

namespace Coap.Engine.Messaging;

/// <summary>A remote endpoint as seen through one transport; interned so that table keys never allocate.</summary>
internal sealed partial class CoapPeer
{
    private IPEndPoint? _endPoint;
    private int _observations;
    private long _verifiedUntil;

    public CoapPeer(IDatagramTransport transport, SocketAddress address)
    {
        Transport = transport;
        Address = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(Address.Buffer.Span);
        _verifiedUntil = transport.VerifiesAddresses ? long.MaxValue : 0;
    }

    public IDatagramTransport Transport { get; }

    /// <summary>The peer's address; owned by the peer, never reused for another receive.</summary>
    public SocketAddress Address { get; }

    /// <summary>
    /// The peer's address and port as services see it (<c>CoapRequestContext.RemoteEndPoint</c>): an IPv4 peer reached
    /// through a dual-mode socket arrives as [::ffff:a.b.c.d] and is presented as a.b.c.d, so that one peer has one
    /// address; on a socket that is not dual mode no IPv4 peer can arrive, so such an address stays IPv6 and never
    /// passes for an IPv4 one (::ffff:127.0.0.1 is not loopback there).
    /// </summary>
    public IPEndPoint EndPoint => _endPoint ??= Presented(Address.ToIPEndPoint(), Transport.DualMode);

    /// <summary>
    /// The timestamp of the last datagram to or from the peer, or of when the peer table last kept it though idle: the
    /// table's order.
    /// </summary>
    public long LastActivity { get; set; }

    /// <summary>
    /// Until when (a timestamp of the endpoint's clock) the peer's address counts as verified (RFC 9175 §2.4):
    /// 0 while it is not, <see cref="long.MaxValue"/> for a loopback peer when loopback counts as verified and for every
    /// peer of a transport that verifies addresses itself (<see cref="IDatagramTransport.VerifiesAddresses"/>, DTLS).
    /// </summary>
    public long VerifiedUntil
    {
        get => Volatile.Read(ref _verifiedUntil);
        set => Volatile.Write(ref _verifiedUntil, value);
    }

    /// <summary>The peer's round-trip time, once measured (<see cref="CoapTransmissionOptions.MeasureRtt"/>); guarded by the message manager's lock.</summary>
    public RttEstimator? Rtt { get; set; }

    /// <summary>Requests a client has outstanding to this peer; at most NSTART (RFC 7252 §4.7).</summary>
    public SemaphoreSlim? NStartGate { get; set; }

    /// <summary>The size of <see cref="NStartGate"/>: no request is in flight while it has this many free slots.</summary>
    public int NStart { get; set; }

    /// <summary>The peer's requests waiting for a worker; guarded by the endpoint's <see cref="Exchanges.RequestQueue"/>.</summary>
    public Exchanges.PeerRequests? Requests { get; set; }

    /// <summary>
    /// Observations the peer holds on this server (RFC 7641), counted up by each registration and down by each
    /// removal; a peer that observes is never forgotten as idle, so the count stays with the address.
    /// </summary>
    public int Observations => Volatile.Read(ref _observations);

    public void AddObservations(int delta) => Interlocked.Add(ref _observations, delta);

    /// <summary>Counts one more observation unless the peer already holds <paramref name="limit"/>; false then.</summary>
    public bool TryAddObservation(int limit)
    {
        var current = Volatile.Read(ref _observations);
        while (current < limit)
        {
            var seen = Interlocked.CompareExchange(ref _observations, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>
    /// The address as it was addressed: an IPv4 peer reached through a dual-stack socket shows as 127.0.0.1:5683,
    /// not as [::ffff:127.0.0.1]:5683, so that messages and logs name the peer the way the user wrote it.
    /// </summary>
    public override string ToString() => EndPoint.ToString();

    private static IPEndPoint Presented(IPEndPoint received, bool dualMode) =>
        dualMode && received.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(received.Address.MapToIPv4(), received.Port) : received;
}

using System.Net;
using System.Threading.Channels;
using Coap.Engine.Exchanges;
using Coap.Engine.Transport;

namespace Coap.Testing;

/// <summary>
/// A transport without sockets: the test delivers datagrams and reads what the endpoint sent. <see cref="Deliver"/>
/// returns once the endpoint is done with the datagram: decoded on the calling thread, as the UDP receive thread
/// would, and a request's handler run on the endpoint's workers until it answered or returned a pending task, so a
/// lockstep test sees the reply at once. Linked to a <see cref="InMemoryNetwork"/>, sends reach other transports.
/// </summary>
public sealed class InMemoryTransport : IDatagramTransport
{
    private readonly Channel<SentDatagram> _sent = Channel.CreateUnbounded<SentDatagram>();
    private readonly InMemoryNetwork? _network;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPEndPoint, string> _identities = new();
    private IDatagramReceiver? _receiver;

    public InMemoryTransport(IPEndPoint localEndPoint, InMemoryNetwork? network = null)
    {
        LocalEndPoint = localEndPoint;
        _network = network;
        network?.Add(this);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Whether the transport passes for a dual-mode IPv6 socket; set it before the first datagram.</summary>
    public bool DualMode { get; set; }

    /// <summary>Whether the transport says its peers proved their addresses (as DTLS does).</summary>
    public bool VerifiesAddresses { get; set; }

    /// <summary>Every datagram sent so far and not yet taken.</summary>
    public int PendingCount => _sent.Reader.Count;

    public void Start(IDatagramReceiver receiver) => _receiver = receiver;

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        var destination = remote.ToIPEndPoint();
        var copy = datagram.ToArray();
        if (_network is not null)
        {
            _network.Route(this, copy, destination);
        }
        else
        {
            _sent.Writer.TryWrite(new SentDatagram(copy, destination));
        }
    }

    /// <summary>
    /// Hands a datagram to the endpoint as if it arrived from <paramref name="from"/>, and waits (at most fifteen
    /// seconds of real time) until the endpoint's workers have nothing left to do.
    /// </summary>
    public void Deliver(byte[] datagram, IPEndPoint from)
    {
        Arrive(datagram, from);
        if (_receiver is TransportBinding { Endpoint.Requests: { } requests } && !requests.WaitUntilIdle(TimeSpan.FromSeconds(15)))
        {
            throw new TimeoutException("The endpoint's handlers were still busy fifteen seconds after the datagram arrived.");
        }
    }

    /// <summary>
    /// From now on the peer at <paramref name="peer"/> passes for one that authenticated as <paramref name="identity"/>,
    /// as a DTLS transport reports a PSK identity (<see cref="IDatagramTransport.IdentityOf"/>).
    /// </summary>
    public void Authenticate(IPEndPoint peer, string identity) => _identities[peer] = identity;

    public string? IdentityOf(SocketAddress remote) => _identities.GetValueOrDefault(remote.ToIPEndPoint());

    /// <summary>Hands a datagram to the endpoint, as the receive thread would, without waiting for its handler.</summary>
    public void Arrive(byte[] datagram, IPEndPoint from)
    {
        var receiver = _receiver ?? throw new InvalidOperationException("The transport is not started.");
        receiver.OnDatagram(this, datagram, from.Serialize());
    }

    /// <summary>The next sent datagram, if one is waiting.</summary>
    public bool TryTake(out SentDatagram? datagram) => _sent.Reader.TryRead(out datagram);

    /// <summary>Waits for the next sent datagram, at most <paramref name="timeout"/> of real time.</summary>
    public async Task<SentDatagram> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _sent.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Nothing was sent within {timeout}.");
        }
    }

    public ValueTask DisposeAsync()
    {
        _network?.Remove(this);
        _sent.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}

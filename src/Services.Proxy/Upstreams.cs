using System.Collections.Concurrent;
using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Messaging;
using Microsoft.Extensions.Logging;

namespace Services.Proxy;

/// <summary>
/// The proxy's side towards upstreams: one engine client (its own UDP port) with the upstream transmission settings,
/// and one <see cref="UpstreamGate"/> per upstream. The table of gates is bounded: past its size, idle gates are
/// forgotten, so a peer naming endless upstreams in Proxy-Uri holds no memory.
/// </summary>
internal sealed class Upstreams : IAsyncDisposable
{
    private const int MaxGates = 4096;

    private readonly ConcurrentDictionary<string, UpstreamGate> _gates = new(StringComparer.Ordinal);
    private readonly int _maxInFlight;
    private readonly int _queueLimit;

    public Upstreams(ProxyOptions options, ILogger logger)
    {
        _maxInFlight = options.MaxInFlightPerUpstream;
        _queueLimit = options.QueuePerUpstream;
        Client = new CoapClient(
            new CoapClientOptions
            {
                Timeout = options.Timeout,

                // The proxy's continuation only passes the answer on (no I/O but a send): no hand-over to the pool.
                ContinueOnReceiveThread = true,
                Transmission = new CoapTransmissionOptions
                {
                    AckTimeout = options.AckTimeout,
                    MaxRetransmit = options.MaxRetransmit,
                    NStart = options.MaxInFlightPerUpstream,
                },
            },
            logger);
    }

    public CoapClient Client { get; }

    public UpstreamGate GateOf(ProxyTarget target)
    {
        if (_gates.TryGetValue(target.UpstreamKey, out var gate))
        {
            return gate;
        }

        if (_gates.Count >= MaxGates)
        {
            foreach (var (key, existing) in _gates)
            {
                if (existing.Idle)
                {
                    _gates.TryRemove(new KeyValuePair<string, UpstreamGate>(key, existing));
                }
            }
        }

        return _gates.GetOrAdd(target.UpstreamKey, _ => new UpstreamGate(_maxInFlight, _queueLimit));
    }

    /// <summary>The upstream's address: an IP literal as it is, a name through DNS.</summary>
    public static ValueTask<IPEndPoint> ResolveAsync(ProxyTarget target, CancellationToken cancellationToken) =>
        target.Authority.HostAddress is { } address
            ? ValueTask.FromResult(new IPEndPoint(address, target.Authority.Port))
            : new ValueTask<IPEndPoint>(CoapClient.ResolveAsync(target.Authority, cancellationToken));

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

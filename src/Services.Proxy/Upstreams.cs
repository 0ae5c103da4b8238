using System.Collections.Concurrent;
using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Transport.Dtls;
using Microsoft.Extensions.Logging;

namespace Services.Proxy;

/// <summary>
/// The proxy's side towards upstreams: a client of the server's own endpoint with the proxy-wide transmission
/// settings (requests leave from the server's socket, answers come back to it and are passed on by the thread that
/// took them in: no socket, no thread and no thread hand-over of its own), for every coap:// upstream without settings
/// of its own that the server's sockets reach; an engine client with its own UDP port and the same settings for the
/// others (an upstream the server's sockets do not reach, such as a remote one from a server bound to loopback); one more
/// for each upstream with settings of its own ("Modules:Proxy:Upstreams"), the only way to a coaps:// upstream,
/// whose client holds the PSK identity and key of its <see cref="UpstreamOptions.PskFile"/>; and one
/// <see cref="UpstreamGate"/> per upstream. The table of gates is bounded: past its size, idle gates are forgotten,
/// so a peer naming endless upstreams in Proxy-Uri holds no memory.
/// </summary>
internal sealed class Upstreams : IAsyncDisposable
{
    private const int MaxGates = 4096;

    private readonly ConcurrentDictionary<string, UpstreamGate> _gates = new(StringComparer.Ordinal);
    private readonly UpstreamSettings _default;
    private readonly Dictionary<string, UpstreamSettings> _own = new(StringComparer.Ordinal);
    private readonly int _queueLimit;
    private SharedClient? _shared;

    public Upstreams(ProxyOptions options, ILogger logger)
    {
        _queueLimit = options.QueuePerUpstream;
        _default = new UpstreamSettings(NewClient(options.Timeout, options.AckTimeout, options.MaxRetransmit, options.MaxInFlightPerUpstream, null, logger), options.Timeout, options.MaxInFlightPerUpstream);
        foreach (var (name, own) in options.Upstreams)
        {
            var key = ProxyTarget.UpstreamKeyOf(CoapUri.Parse(own.Uri ?? options.Routes[name]));
            var timeout = own.Timeout ?? options.Timeout;
            var maxInFlight = own.MaxInFlight ?? options.MaxInFlightPerUpstream;
            var psk = string.IsNullOrEmpty(own.PskFile) ? null : PskKeyFile.LoadCredentials(own.PskFile, $"{ProxyOptions.SectionName}:Upstreams:{name}:PskFile");
            _own[key] = new UpstreamSettings(
                NewClient(timeout, own.AckTimeout ?? options.AckTimeout, own.MaxRetransmit ?? options.MaxRetransmit, maxInFlight, psk, logger), timeout, maxInFlight);
        }
    }

    /// <summary>The settings (and the client) for the upstream of a target (see <see cref="Reaches"/> for coaps://).</summary>
    public UpstreamSettings Of(ProxyTarget target) => _own.Count > 0 && _own.TryGetValue(target.UpstreamKey, out var own) ? own : _default;

    /// <summary>Whether the proxy can reach a target: any coap:// one, a coaps:// one only with a PSK file of its own.</summary>
    public bool Reaches(ProxyTarget target) => !target.Authority.IsSecure || Of(target).Client.Options.Psk is not null;

    /// <summary>
    /// The client a request to <paramref name="remote"/> goes through: a client of <paramref name="endpoint"/> (the one
    /// the client's request came in through) for a coap:// upstream with the proxy-wide settings when its sockets reach
    /// it, the settings' own otherwise.
    /// </summary>
    public CoapClient ClientFor(ProxyTarget target, UpstreamSettings settings, IPEndPoint remote, CoapEndpoint? endpoint) =>
        ReferenceEquals(settings, _default) && !target.Authority.IsSecure && endpoint is not null && SharedOf(endpoint) is var shared && shared.CanReach(remote)
            ? shared
            : settings.Client;

    public UpstreamGate GateOf(ProxyTarget target, UpstreamSettings settings)
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

        return _gates.GetOrAdd(target.UpstreamKey, _ => new UpstreamGate(settings.MaxInFlight, _queueLimit));
    }

    /// <summary>
    /// The upstream's address: an IP literal as it is, a name through DNS; for coaps:// with the client's DTLS session
    /// with it up (a handshake when there is none yet: off the receive thread, in the request's handler).
    /// </summary>
    public static ValueTask<IPEndPoint> ResolveAsync(ProxyTarget target, UpstreamSettings settings, CancellationToken cancellationToken) =>
        target.Authority.IsSecure ? new ValueTask<IPEndPoint>(settings.Client.ConnectAsync(target.Authority, cancellationToken))
        : target.Endpoint is { } literal ? ValueTask.FromResult(literal)
        : new ValueTask<IPEndPoint>(CoapClient.ResolveAsync(target.Authority, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        await _default.Client.DisposeAsync().ConfigureAwait(false);
        foreach (var own in _own.Values)
        {
            await own.Client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The client of an endpoint, made on its first request (again if the server's endpoint was replaced).</summary>
    private CoapClient SharedOf(CoapEndpoint endpoint)
    {
        var shared = Volatile.Read(ref _shared);
        if (shared?.Endpoint != endpoint)
        {
            shared = new SharedClient(endpoint, new CoapClient(endpoint, _default.Client.Options));
            Volatile.Write(ref _shared, shared);
        }

        return shared.Client;
    }

    private static CoapClient NewClient(TimeSpan timeout, TimeSpan ackTimeout, int maxRetransmit, int maxInFlight, PskCredentials? psk, ILogger logger) => new(
        new CoapClientOptions
        {
            Timeout = timeout,
            Psk = psk,

            // The proxy's continuation only passes the answer on (no I/O but a send): no hand-over to the pool.
            ContinueOnReceiveThread = true,
            Transmission = new CoapTransmissionOptions
            {
                AckTimeout = ackTimeout,
                MaxRetransmit = maxRetransmit,
                NStart = maxInFlight,
            },
        },
        logger);
}

/// <summary>One upstream's client (with its transmission settings), exchange timeout and in-flight limit.</summary>
internal sealed record UpstreamSettings(CoapClient Client, TimeSpan Timeout, int MaxInFlight);

/// <summary>The client of a server's endpoint and that endpoint.</summary>
internal sealed record SharedClient(CoapEndpoint Endpoint, CoapClient Client);

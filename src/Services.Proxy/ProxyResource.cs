using System.Net;
using System.Net.Sockets;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Hosting;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Services.Proxy;

/// <summary>
/// The CoAP-to-CoAP proxy (RFC 7252 §5.7): the engine's forward proxy (requests with Proxy-Uri or Proxy-Scheme) and
/// the reverse routes under "/{Path}/{route}/…". A request goes through the Hop-Limit check (RFC 8768), the cache
/// (GET), the aggregated observations (RFC 7641 §5) and the upstream's in-flight limit to the upstream, through the
/// engine's client. The engine acknowledges a CON request at once when the answer takes longer
/// (Coap:SeparateResponseAfter) and serves large answers in blocks.
/// </summary>
internal sealed class ProxyResource : IObservableRoute
{
    public const string RouteName = "route";
    public const string RestName = "path";

    private readonly ProxyOptions _options;
    private readonly Dictionary<string, ProxyTarget> _routes;
    private readonly ForwardTargets _forward = new();
    private readonly Upstreams _upstreams;
    private readonly ProxyCache? _cache;
    private readonly ObservationPool _observations;
    private readonly TransferBodies _transfers;
    private readonly ILogger _logger;
    private readonly string _identity;
    private readonly BodyLimit _bodyLimit;

    public ProxyResource(IOptions<ProxyOptions> options, Upstreams upstreams, ProxyCache cache, ObservationPool observations, TransferBodies transfers, ILogger<ProxyResource> logger)
    {
        _options = options.Value;
        _routes = _options.Routes.ToDictionary(pair => pair.Key, pair => ProxyTarget.OfRoute(CoapUri.Parse(pair.Value)), StringComparer.Ordinal);
        _upstreams = upstreams;
        _cache = _options.Cache ? cache : null;
        _observations = observations;
        _transfers = transfers;
        _logger = logger;
        _identity = _options.Identity ?? Dns.GetHostName();
        _bodyLimit = new BodyLimit(_options.MaxBodySize);
    }

    public static ResourceMetadata Metadata { get; } = new() { Observable = true, Title = "CoAP proxy", RunsInline = true };

    /// <summary>A deregistration (Observe 1) needs a list to be matched against; it finds its observer by token.</summary>
    public ResourceObservers? ObserversOf(CoapRequestContext context) => _observations.Inert;

    /// <summary>
    /// A registration joins its key's observation (made when there is none) with the registration begun under the
    /// pool's lock: the last observer leaving meanwhile does not cancel the observation, and the engine ends the
    /// registration whichever stage answers it.
    /// </summary>
    public ResourceObservers? BeginRegistration(CoapRequestContext context)
    {
        var target = Refused(context) ? null : TargetOf(context, out _);
        return target is null ? null : _observations.BeginRegistration(ProxyCache.KeyOf(context.Request, target), target.Uri)?.Observers;
    }

    public async ValueTask<CoapMessage> HandleAsync(CoapRequestContext context)
    {
        var request = context.Request;
        var joining = context.Registration is { } registration ? _observations.Of(registration) : null;

        if (Refused(context))
        {
            ProxyLog.Refused(_logger, context.RemoteEndPoint, "anonymous and not on loopback");
            return Errors.Diagnostic(CoapCode.Forbidden, "the proxy serves loopback peers only");
        }

        var target = TargetOf(context, out var error);
        if (target is null)
        {
            return error!;
        }

        if (!_upstreams.Reaches(target))
        {
            return Errors.Diagnostic(CoapCode.ProxyingNotSupported, $"no DTLS credentials for {target.UpstreamKey} (Modules:Proxy:Upstreams:{{name}}:PskFile)");
        }

        var upstream = UpstreamMessages.Request(request, target, _options.HopLimit);
        if (upstream is null)
        {
            return Errors.Diagnostic(CoapCode.HopLimitReached, $"hop limit reached at {_identity}");
        }

        if (joining is not null)
        {
            // A registration: the observation the engine adds the observer to is the one ObserversOf gave it.
            return await ObserveAsync(joining, upstream, target, registering: true, context.Aborted).ConfigureAwait(false);
        }

        if (request.Observe == 0 && _observations.TryGet(ProxyCache.KeyOf(request, target), out var observation))
        {
            // A notification being rendered for the observers of the key.
            return await ObserveAsync(observation!, upstream, target, registering: false, context.Aborted).ConfigureAwait(false);
        }

        // A later block of a transfer whose whole answer the cache does not hold: served from the answer kept for it.
        var safe = request.Observe is null && (request.Code == CoapCode.Get || request.Code == CoapCode.Fetch);
        string? key = null;
        if (safe && request.Options.Contains(OptionNumber.Block2)
            && _transfers.Find(context.RemoteEndPoint, key = ProxyCache.KeyOf(request, target), request) is { } kept)
        {
            return kept;
        }

        CacheEntry? cached = null;
        var cacheable = _cache is not null && request.Code == CoapCode.Get && request.Observe is null;
        if (cacheable)
        {
            key ??= ProxyCache.KeyOf(request, target);
            cached = _cache!.Find(key);
            if (cached is not null)
            {
                if (_cache.Remaining(cached) > 0)
                {
                    return FromCache(cached, request);
                }

                if (!cached.ETag.IsEmpty && !HasETag(upstream, cached.ETag.Span))
                {
                    // Revalidation (RFC 7252 §5.6.2): a 2.03 makes the stale entry fresh without its body.
                    upstream.Options.Add(new CoapOption(OptionNumber.ETag, cached.ETag));
                }
            }
        }

        var (response, fromUpstream) = await ExchangeAsync(upstream, target, context.Endpoint, context.Aborted).ConfigureAwait(false);
        if (!fromUpstream)
        {
            return response;
        }

        if (UpstreamMessages.UnknownUnsafe(response) is var unknown and >= 0)
        {
            ProxyLog.UpstreamFailed(_logger, target.Uri, $"unknown unsafe option {unknown} in the response");
            return Errors.Diagnostic(CoapCode.BadGateway, $"upstream answered with unknown unsafe option {unknown}");
        }

        if (cacheable)
        {
            if (response.Code == CoapCode.Valid && cached is not null && (!response.Options.TryGet(OptionNumber.ETag, out var valid) || valid.Value.Span.SequenceEqual(cached.ETag.Span)))
            {
                _cache!.Refresh(cached, response);
                return FromCache(cached, request);
            }

            if (response.Code == CoapCode.Content && _cache!.Store(key!, target.Uri, UpstreamMessages.Response(response)))
            {
                return UpstreamMessages.Strip(response);
            }
        }
        else if (_cache is not null && IsUnsafe(request.Code) && response.Code.IsSuccess)
        {
            _cache.Invalidate(target.Uri);
        }

        // The upstream's answer is ours alone (the engine's client made it for this exchange): passed on in place.
        var answer = UpstreamMessages.Strip(response);
        if (safe && TransferBodies.Worth(request, answer))
        {
            _transfers.Keep(context.RemoteEndPoint, key ?? ProxyCache.KeyOf(request, target), answer);
        }

        return answer;
    }

    /// <summary>Whether the peer may not use the proxy: anonymous and off loopback without AllowRemote.</summary>
    private bool Refused(CoapRequestContext context) =>
        !_options.AllowRemote && context.Identity is null && !IPAddress.IsLoopback(context.RemoteEndPoint.Address);

    /// <summary>Forward requests name their target in Proxy-Uri or Proxy-Scheme; the others came by a reverse route.</summary>
    private ProxyTarget? TargetOf(CoapRequestContext context, out CoapMessage? error)
    {
        var request = context.Request;
        if (request.Options.Contains(OptionNumber.ProxyUri) || request.Options.Contains(OptionNumber.ProxyScheme))
        {
            return _forward.Find(request, out error);
        }

        if (context.Route[RouteName] is { } name && _routes.TryGetValue(name, out var route))
        {
            error = null;
            return ProxyTarget.FromRoute(route, context.Route.TryGetSegments(RestName, out var rest) ? rest : [], request);
        }

        error = CoapMessage.CreateResponse(CoapCode.NotFound);
        return null;
    }

    /// <summary>
    /// A registration on a key the pool holds: the first one starts the upstream observation and waits for its first
    /// answer; a later one has the upstream re-registered and waits for that answer; the engine's renders for each
    /// notification get the latest at once.
    /// </summary>
    private async ValueTask<CoapMessage> ObserveAsync(PooledObservation observation, CoapMessage upstream, ProxyTarget target, bool registering, CancellationToken aborted)
    {
        var settings = _upstreams.Of(target);
        var timeout = settings.Timeout;
        if (observation.TryStart())
        {
            try
            {
                var remote = await Upstreams.ResolveAsync(target, settings, aborted).ConfigureAwait(false);
                ProxyLog.ObservationStarted(_logger, target.Uri);
                observation.RunAsync(settings.Client.ObserveAsync(upstream, remote, observation.Renewal, CancellationToken.None)).Forget(_logger, "observing an upstream");
            }
            catch (Exception failure) when (failure is SocketException or DtlsHandshakeException)
            {
                observation.Stop();
                return Errors.Diagnostic(CoapCode.BadGateway, failure.Message);
            }
        }
        else if (registering)
        {
            // A new observer of a running observation: the upstream is asked again (same token) so that this client
            // does not start from a value gone stale; the others get the answer as a notification.
            try
            {
                return Copy(await observation.RenewAsync().WaitAsync(timeout, aborted).ConfigureAwait(false));
            }
            catch (TimeoutException)
            {
                // No answer yet: the latest value it is; the upstream observation's own timeout ends it if need be.
            }
        }

        var latest = await observation.LatestAsync().WaitAsync(timeout, aborted).ConfigureAwait(false);
        return Copy(latest);
    }

    private async ValueTask<(CoapMessage Response, bool FromUpstream)> ExchangeAsync(CoapMessage upstream, ProxyTarget target, CoapEndpoint? endpoint, CancellationToken aborted)
    {
        var settings = _upstreams.Of(target);
        var gate = _upstreams.GateOf(target, settings);
        if (!await gate.EnterAsync(settings.Timeout, aborted).ConfigureAwait(false))
        {
            ProxyLog.Busy(_logger, target.UpstreamKey, upstream.Code.ToString(), target.Uri);
            return (Errors.Busy(target.UpstreamKey, _options.BusyMaxAge), false);
        }

        try
        {
            var remote = await Upstreams.ResolveAsync(target, settings, aborted).ConfigureAwait(false);
            return (await _upstreams.ClientFor(target, settings, remote, endpoint).SendAsync(upstream, remote, _bodyLimit, aborted).ConfigureAwait(false), true);
        }
        catch (CoapTimeoutException)
        {
            ProxyLog.UpstreamTimeout(_logger, target.UpstreamKey, upstream.Code.ToString(), target.Uri);
            return (Errors.Diagnostic(CoapCode.GatewayTimeout, $"upstream {target.UpstreamKey} did not answer"), false);
        }
        catch (Exception failure) when (failure is CoapException or SocketException)
        {
            ProxyLog.UpstreamFailed(_logger, target.Uri, failure.Message);
            return (Errors.Diagnostic(CoapCode.BadGateway, $"upstream {target.UpstreamKey}: {failure.Message}"), false);
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>A cache hit: 2.03 when the client's own ETag matches the entry (RFC 7252 §5.10.6.2), the entry otherwise.</summary>
    private CoapMessage FromCache(CacheEntry entry, CoapMessage request)
    {
        if (!entry.ETag.IsEmpty && HasETag(request, entry.ETag.Span))
        {
            var valid = CoapMessage.CreateResponse(CoapCode.Valid);
            valid.Options.Add(new CoapOption(OptionNumber.ETag, entry.ETag));
            valid.MaxAge = (uint)Math.Max(0, _cache!.Remaining(entry));
            return valid;
        }

        return _cache!.Serve(entry);
    }

    private static bool HasETag(CoapMessage message, ReadOnlySpan<byte> etag)
    {
        foreach (var option in message.Options.GetAll(OptionNumber.ETag))
        {
            if (option.Value.Span.SequenceEqual(etag))
            {
                return true;
            }
        }

        return false;
    }

    private static CoapMessage Copy(CoapMessage message)
    {
        var copy = CoapMessage.CreateResponse(message.Code, message.Payload);
        foreach (var option in message.Options)
        {
            copy.Options.Add(option);
        }

        return copy;
    }

    private static bool IsUnsafe(CoapCode method) =>
        method == CoapCode.Post || method == CoapCode.Put || method == CoapCode.Delete || method == CoapCode.Patch || method == CoapCode.IPatch;
}

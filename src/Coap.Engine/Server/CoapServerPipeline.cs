using System.Text;
using Coap.Engine.Blockwise;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Observe;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Server.Access;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coap.Engine.Server;

/// <summary>
/// The server side of a request after the message layer: option checks (4.02; 5.05 for Proxy-Uri or Proxy-Scheme
/// unless a module mapped a forward proxy, which then takes such requests instead of routing), routing (4.04),
/// Content-Format checks (4.06, 4.15), then the stages (<see cref="IServerStage"/>): the access policy (4.01, 4.03;
/// when there is one) → Observe (RFC 7641) → Block1
/// assembly → Q-Block2 bursts (RFC 9177) → Block2 slicing (RFC 7959) → the resource. Responses are answered without a payload when the code says
/// all, with a short diagnostic payload and no Content-Format otherwise (RFC 7252 §5.5.2). A request carrying the
/// OSCORE option is first unprotected (RFC 8613 §8.2, on the worker: it may fsync): a failure is answered with §8.2's
/// unprotected error and goes no further; the plain request then takes the same path with the context's identity,
/// and its response is protected (§8.3). A protected request in Outer Block1 blocks is put together first (by the
/// Block1 stage's outer part, within its limits) and unprotected once, when whole.
/// </summary>
internal sealed class CoapServerPipeline : IRequestDispatcher
{
    private readonly ResourceTree _tree;
    private readonly IServiceProvider? _services;
    private readonly int _maxBlockSize;
    private readonly ObserveStage _observe;
    private readonly IServerStage _first;
    private readonly OscoreContextTable? _oscore;
    private readonly OscoreOuterBlock2? _outerBlock2;
    private readonly AmplificationGuard _amplification;
    private readonly ILogger _logger;
    private readonly CoapEndpoint _endpoint;

    /// <param name="access">The access policy; without one every request goes on (engine tests of other stages).</param>
    /// <param name="oscore">The OSCORE contexts; without them a request with the OSCORE option gets 4.02 (critical option).</param>
    public CoapServerPipeline(ResourceTree tree, IServiceProvider? services, CoapEndpointOptions options, TimeProvider time, INotificationSender notifications, ILoggerFactory? loggers = null, AccessPolicy? access = null, OscoreContextTable? oscore = null)
    {
        _tree = tree;
        _oscore = oscore;
        _amplification = notifications.Amplification;
        _endpoint = notifications.Endpoint;
        _outerBlock2 = oscore is null ? null : new OscoreOuterBlock2(time, options.Transmission.ExchangeLifetime);
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<CoapServerPipeline>();
        _services = services;
        _maxBlockSize = options.MaxBlockSize;
        Block1 = new Block1Stage(options, time, (loggers ?? NullLoggerFactory.Instance).CreateLogger<Block1Stage>(), new QBlock2Stage(options.QBlock, notifications, new Block2Stage(options, time, new ResourceStage())));
        _observe = new ObserveStage(notifications, options, Block1);
        _first = access is null ? _observe : new AccessStage(access, _observe);
    }

    /// <summary>The Block1 stage, behind the Observe stage; tests read its accounting.</summary>
    internal Block1Stage Block1 { get; }

    public bool ChangesNeedVerifiedPeer(CoapMessage request) =>
        _tree.TryMatch(request, out var entry, out _) && entry!.Metadata.ChangesNeedVerifiedPeer;

    public bool RunsInline(CoapMessage request)
    {
        if (IsForwarded(request))
        {
            return _tree.ForwardProxy!.Metadata.RunsInline;
        }

        return _tree.AnyRouteRunsInline
            && !(_oscore is not null && request.Options.Contains(OptionNumber.Oscore))
            && _tree.TryMatch(request, out var entry, out _) && entry!.Metadata.RunsInline;
    }

    public bool OnUnmatchedReset(CoapPeer peer, ushort messageId) => _observe.OnReset(peer, messageId);

    public void OnUnreachable(CoapPeer peer) => _observe.RemoveObserversOf(peer, "its address is unreachable (ICMP)");

    public void OnSessionEnded(CoapPeer peer) => _observe.RemoveObserversOf(peer, "its DTLS session ended");

    public void OnStopping() => _observe.RemoveAll();

    /// <summary>
    /// A request with the OSCORE option is unprotected here unless it is for a forward proxy mapped on this server
    /// (Proxy-Uri or Proxy-Scheme among its outer options): that one is protected end to end for the upstream and
    /// passes through untouched (RFC 8613 §2, §4.1.3.3), even when this server has contexts of its own.
    /// </summary>
    public ValueTask<CoapMessage> DispatchAsync(CoapMessage request, CoapPeer peer, CancellationToken aborted) =>
        _oscore is not null && request.Options.Contains(OptionNumber.Oscore) && !IsForwarded(request)
            ? DispatchProtected(_oscore, request, peer, aborted)
            : DispatchPlain(request, peer, aborted, null);

    private bool IsForwarded(CoapMessage request) =>
        _tree.ForwardProxy is not null && (request.Options.Contains(OptionNumber.ProxyUri) || request.Options.Contains(OptionNumber.ProxyScheme));

    /// <summary>
    /// Unprotects, runs the plain request, protects its response. Failures (§8.2) are answered unprotected, except
    /// the Echo challenge of a context whose replay window is unknown after a restart (§B.1.2), which is protected.
    /// The amplification guard (RFC 9175 §2.4) judges the unprotected request, since its method, Observe and Echo are
    /// encrypted: a peer whose address is not verified gets a protected 4.01 with the guard's Echo, which the client
    /// repeats inside its next protected request, for a registration, a guarded change, and a protected response
    /// larger than the factor allows. Later Outer blocks, which are not unprotected, are capped as any response.
    /// </summary>
    private ValueTask<CoapMessage> DispatchProtected(OscoreContextTable table, CoapMessage request, CoapPeer peer, CancellationToken aborted)
    {
        if (_outerBlock2!.TryServeLater(request, peer, out var later))
        {
            return ValueTask.FromResult(_amplification.Limit(peer, request, later));
        }

        BlockValue? outerBlock1 = null;
        if (request.Options.Contains(OptionNumber.Block1))
        {
            if (Block1.TakeOuter(peer, request, out var whole, out var echo) is { } unfinished)
            {
                return ValueTask.FromResult(unfinished);
            }

            request = whole!;
            outerBlock1 = echo;
        }

        var result = table.UnprotectRequest(request, out var identity, out var context);
        if (!result.Succeeded)
        {
            ServerLog.OscoreRefused(_logger, peer, result.Failure);
            if (result.Failure == OscoreFailure.EchoRequired && context is not null && result.Binding is { } challenged
                && context.CreateEchoChallenge(challenged, out var challenge) == OscoreFailure.None)
            {
                return ValueTask.FromResult(challenge!);
            }

            return ValueTask.FromResult(result.Failure.ToErrorResponse());
        }

        var protection = new OscoreServerRequest(identity!, context!, result.Binding!);
        var plain = result.Message!;
        var verified = _amplification.IsVerified(peer) || _amplification.Verify(peer, plain);
        if (!verified && AmplificationGuard.NeedsVerifiedPeer(plain, this))
        {
            return ValueTask.FromResult(Challenge(request, peer, protection));
        }

        var pending = DispatchPlain(plain, peer, aborted, protection);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(Finish(request, peer, protection, verified, outerBlock1, pending.Result))
            : FinishLaterAsync(request, peer, protection, verified, outerBlock1, pending);
    }

    private async ValueTask<CoapMessage> FinishLaterAsync(CoapMessage request, CoapPeer peer, OscoreServerRequest protection, bool verified, BlockValue? outerBlock1, ValueTask<CoapMessage> pending) =>
        Finish(request, peer, protection, verified, outerBlock1, await pending.ConfigureAwait(false));

    /// <summary>
    /// The protected response, in Outer blocks when asked for, with the final Outer Block1 when the request came in
    /// Outer blocks, or the protected challenge when it is too large for an unverified peer.
    /// </summary>
    /// <remarks>Measured with the request's token, as the endpoint's own cap measures it afterwards.</remarks>
    private CoapMessage Finish(CoapMessage request, CoapPeer peer, OscoreServerRequest protection, bool verified, BlockValue? outerBlock1, CoapMessage? plain)
    {
        var response = _outerBlock2!.Limit(request, peer, Protect(protection, plain));
        response.Token = request.Token;
        if (outerBlock1 is { } echo)
        {
            response.Options.Set(echo.ToOption(OptionNumber.Block1));
        }

        return verified || _amplification.Fits(request, response) ? response : Challenge(request, peer, protection);
    }

    /// <summary>A protected 4.01 with the guard's Echo; a bare unprotected 4.01 should even that exceed the factor.</summary>
    private CoapMessage Challenge(CoapMessage request, CoapPeer peer, OscoreServerRequest protection)
    {
        var challenge = Protect(protection, _amplification.CreateChallenge(peer));
        challenge.Token = request.Token;
        return _amplification.Fits(request, challenge) ? challenge : CoapMessage.CreateResponse(CoapCode.Unauthorized);
    }

    /// <summary>The protected response; an unprotected 5.00 when none can be protected (no sequence number left, state not saved).</summary>
    internal static CoapMessage Protect(OscoreServerRequest protection, CoapMessage? plain, bool ownPartialIv = false) =>
        protection.Context.ProtectResponse(plain ?? CoapMessage.CreateResponse(CoapCode.InternalServerError), protection.Binding, out var protectedResponse, ownPartialIv) == OscoreFailure.None
            ? protectedResponse!
            : CoapMessage.CreateResponse(CoapCode.InternalServerError);

    private ValueTask<CoapMessage> DispatchPlain(CoapMessage request, CoapPeer peer, CancellationToken aborted, OscoreServerRequest? oscore)
    {
        var forwarding = request.Options.Contains(OptionNumber.ProxyUri) || request.Options.Contains(OptionNumber.ProxyScheme);
        if (forwarding && _tree.ForwardProxy is null)
        {
            return Diagnostic(CoapCode.ProxyingNotSupported, "this server is not a proxy");
        }

        var refused = CriticalOptions.FindRefused(request, forwarding);
        if (refused >= 0)
        {
            return Diagnostic(CoapCode.BadOption, $"critical option {OptionDefinition.NameOf(refused)} ({refused}) not understood or malformed");
        }

        ElectiveOptions.DropMalformed(request.Options);
        if (forwarding)
        {
            return _first.InvokeAsync(new CoapRequestContext(request, peer, _tree.ForwardProxy!, RouteMatch.Empty, _services, aborted) { MaxBlockSize = _maxBlockSize, Oscore = oscore, Endpoint = _endpoint });
        }

        if (!_tree.TryMatch(request, out var entry, out var match))
        {
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.NotFound));
        }

        var metadata = entry!.Metadata;
        if (metadata.ContentFormats.Count > 0 && request.Accept is { } accept && !Contains(metadata.ContentFormats, accept))
        {
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.NotAcceptable));
        }

        if (metadata.AcceptedContentFormats.Count > 0 && request.ContentFormat is { } format && !Contains(metadata.AcceptedContentFormats, format))
        {
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.UnsupportedContentFormat));
        }

        return _first.InvokeAsync(new CoapRequestContext(request, peer, entry, match, _services, aborted) { MaxBlockSize = _maxBlockSize, Oscore = oscore, Endpoint = _endpoint });
    }

    private static bool Contains(IReadOnlyList<int> formats, int format)
    {
        for (var i = 0; i < formats.Count; i++)
        {
            if (formats[i] == format)
            {
                return true;
            }
        }

        return false;
    }

    private static ValueTask<CoapMessage> Diagnostic(CoapCode code, string text) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(code, Encoding.UTF8.GetBytes(text)));
}

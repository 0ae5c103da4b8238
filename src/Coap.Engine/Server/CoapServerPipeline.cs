using System.Text;
using Coap.Engine.Blockwise;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server.Access;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coap.Engine.Server;

/// <summary>
/// The server side of a request after the message layer: option checks (4.02, 5.05), routing (4.04),
/// Content-Format checks (4.06, 4.15), then the stages (<see cref="IServerStage"/>): the access policy (4.01, 4.03;
/// when there is one) → Observe (RFC 7641) → Block1
/// assembly → Block2 slicing (RFC 7959) → the resource. Responses are answered without a payload when the code says
/// all, with a short diagnostic payload and no Content-Format otherwise (RFC 7252 §5.5.2).
/// </summary>
internal sealed class CoapServerPipeline : IRequestDispatcher
{
    private readonly ResourceTree _tree;
    private readonly IServiceProvider? _services;
    private readonly int _maxBlockSize;
    private readonly ObserveStage _observe;
    private readonly IServerStage _first;

    /// <param name="access">The access policy; without one every request goes on (engine tests of other stages).</param>
    public CoapServerPipeline(ResourceTree tree, IServiceProvider? services, CoapEndpointOptions options, TimeProvider time, INotificationSender notifications, ILoggerFactory? loggers = null, AccessPolicy? access = null)
    {
        _tree = tree;
        _services = services;
        _maxBlockSize = options.MaxBlockSize;
        Block1 = new Block1Stage(options, time, (loggers ?? NullLoggerFactory.Instance).CreateLogger<Block1Stage>(), new Block2Stage(options, time, new ResourceStage()));
        _observe = new ObserveStage(notifications, options, Block1);
        _first = access is null ? _observe : new AccessStage(access, _observe);
    }

    /// <summary>The Block1 stage, behind the Observe stage; tests read its accounting.</summary>
    internal Block1Stage Block1 { get; }

    public bool ChangesNeedVerifiedPeer(CoapMessage request) =>
        _tree.TryMatch(request, out var entry, out _) && entry!.Metadata.ChangesNeedVerifiedPeer;

    public bool OnUnmatchedReset(CoapPeer peer, ushort messageId) => _observe.OnReset(peer, messageId);

    public void OnUnreachable(CoapPeer peer) => _observe.RemoveObserversOf(peer, "its address is unreachable (ICMP)");

    public void OnStopping() => _observe.RemoveAll();

    public ValueTask<CoapMessage> DispatchAsync(CoapMessage request, CoapPeer peer, CancellationToken aborted)
    {
        if (request.Options.Contains(OptionNumber.ProxyUri) || request.Options.Contains(OptionNumber.ProxyScheme))
        {
            return Diagnostic(CoapCode.ProxyingNotSupported, "this server is not a proxy");
        }

        var refused = CriticalOptions.FindRefused(request);
        if (refused >= 0)
        {
            return Diagnostic(CoapCode.BadOption, $"critical option {OptionDefinition.NameOf(refused)} ({refused}) not understood or malformed");
        }

        ElectiveOptions.DropMalformed(request.Options);

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

        return _first.InvokeAsync(new CoapRequestContext(request, peer, entry, match, _services, aborted) { MaxBlockSize = _maxBlockSize });
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

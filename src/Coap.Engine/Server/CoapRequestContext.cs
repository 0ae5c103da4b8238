using System.Net;
using Coap.Engine.Transport;
using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>One request as a resource sees it: the message, who sent it, and what the route captured.</summary>
public sealed class CoapRequestContext
{
    private readonly SocketAddress _remote;
    private IPEndPoint? _remoteEndPoint;

    internal CoapRequestContext(CoapMessage request, SocketAddress remote, RouteMatch route, IServiceProvider? services, CancellationToken aborted)
    {
        Request = request;
        _remote = remote;
        Route = route;
        Services = services;
        Aborted = aborted;
    }

    public CoapMessage Request { get; }

    /// <summary>The requester's address and port.</summary>
    public IPEndPoint RemoteEndPoint => _remoteEndPoint ??= _remote.ToIPEndPoint();

    /// <summary>The template's captured values.</summary>
    public RouteMatch Route { get; }

    public IServiceProvider? Services { get; }

    /// <summary>Cancelled when the engine stops.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>Shortcut for a response with a code, payload and Content-Format.</summary>
    public static CoapMessage Respond(CoapCode code, ReadOnlyMemory<byte> payload = default, int? contentFormat = null) =>
        CoapMessage.CreateResponse(code, payload, contentFormat);
}

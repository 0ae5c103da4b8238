using System.Net;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>One request as a resource sees it: the message, who sent it, and what the route captured.</summary>
public sealed class CoapRequestContext
{
    internal CoapRequestContext(CoapMessage request, CoapPeer peer, ResourceEntry entry, RouteMatch route, IServiceProvider? services, CancellationToken aborted)
    {
        Request = request;
        Peer = peer;
        Entry = entry;
        Route = route;
        Services = services;
        Aborted = aborted;
    }

    public CoapMessage Request { get; }

    /// <summary>
    /// The requester's address and port; an IPv4 peer reached through a dual-mode socket as IPv4, an IPv4-mapped
    /// address on any other socket as the IPv6 address it is (see <see cref="CoapPeer.EndPoint"/>).
    /// </summary>
    public IPEndPoint RemoteEndPoint => Peer.EndPoint;

    /// <summary>
    /// The identity the requester authenticated with on a secured transport (a DTLS PSK identity, a certificate's
    /// subject), or the identity of the OSCORE context (Coap:Oscore:Contexts) that verified the request, or null for
    /// an anonymous peer (plain CoAP). OSCORE's comes first: it vouches for this very request. Otherwise asked of the
    /// transport at each call: a peer that reconnects on the same address and port with another identity is that
    /// identity from then on.
    /// </summary>
    public string? Identity => Oscore?.Identity ?? Peer.Transport.IdentityOf(Peer.Address);

    /// <summary>The metadata of the resource the request was routed to.</summary>
    public ResourceMetadata Metadata => Entry.Metadata;

    /// <summary>The template's captured values.</summary>
    public RouteMatch Route { get; }

    public IServiceProvider? Services { get; }

    /// <summary>Cancelled when the engine stops.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>
    /// The endpoint the request came in through: a handler's requests of its own can leave from it (a client of it,
    /// <see cref="Client.CoapClient(CoapEndpoint, Client.CoapClientOptions)"/>), their answers then taken in with the
    /// server's requests. Null for a context made outside an endpoint.
    /// </summary>
    public CoapEndpoint? Endpoint { get; internal init; }

    internal CoapPeer Peer { get; }

    internal ResourceEntry Entry { get; }

    /// <summary>The server's largest block size (Coap:MaxBlockSize), for resources that serve blocks themselves.</summary>
    internal int MaxBlockSize { get; init; } = 1024;

    /// <summary>Set when the request came protected by OSCORE: its responses and notifications are protected too.</summary>
    internal OscoreServerRequest? Oscore { get; init; }

    /// <summary>
    /// The observers this request is registering with (RFC 7641 §4.1: GET or FETCH with Observe 0 on an observable
    /// resource), the ones the engine adds it to when the answer is 2.xx; null for any other request and for the
    /// renders of notifications, which an observable route can tell from a registration by it.
    /// </summary>
    public Observe.ResourceObservers? Registration { get; internal set; }

    /// <summary>
    /// True for the blocks of a Q-Block2 set (RFC 9177): the engine asks the resource for them one after the other with
    /// this same context, so what the resource keeps in <see cref="BlockSetState"/> lasts until the whole set is served.
    /// </summary>
    public bool InBlockSet { get; private init; }

    /// <summary>
    /// What a resource that serves blocks itself keeps across the blocks of one Q-Block2 set, such as the file it read
    /// the first one from: set only when <see cref="InBlockSet"/>; the engine disposes it once the set is served.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on a context that is not a Q-Block2 set's.</exception>
    public IDisposable? BlockSetState
    {
        get;
        set => field = InBlockSet ? value : throw new InvalidOperationException("only the blocks of a Q-Block2 set keep state across blocks");
    }

    /// <summary>The same context for another request message: an assembled Block1 body.</summary>
    internal CoapRequestContext WithRequest(CoapMessage request) =>
        new(request, Peer, Entry, Route, Services, Aborted) { MaxBlockSize = MaxBlockSize, Oscore = Oscore, Registration = Registration, Endpoint = Endpoint };

    /// <summary>The context the blocks of a Q-Block2 set are served with, <paramref name="request"/> their Block2 request.</summary>
    internal CoapRequestContext ForBlockSet(CoapMessage request) =>
        new(request, Peer, Entry, Route, Services, Aborted) { MaxBlockSize = MaxBlockSize, Oscore = Oscore, Registration = Registration, InBlockSet = true };

    /// <summary>The context a registration's notifications are rendered with: the same, but no registration.</summary>
    internal CoapRequestContext ForRenders() =>
        new(Request, Peer, Entry, Route, Services, Aborted) { MaxBlockSize = MaxBlockSize, Oscore = Oscore, Endpoint = Endpoint };

    /// <summary>Shortcut for a response with a code, payload and Content-Format.</summary>
    public static CoapMessage Respond(CoapCode code, ReadOnlyMemory<byte> payload = default, int? contentFormat = null) =>
        CoapMessage.CreateResponse(code, payload, contentFormat);
}

using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>Something that answers requests at a path.</summary>
public interface ICoapResource
{
    /// <summary>
    /// Answers one request. Return a fresh message for each call (<see cref="CoapMessage.CreateResponse"/>): the engine
    /// fills its type, message ID and token, may cut its diagnostic payload, slices it into blocks and keeps it for
    /// duplicates, so a message shared between calls or kept by the resource would change under it.
    /// </summary>
    /// <remarks>
    /// It is called on one of the endpoint's request workers (<c>Coap:RequestWorkers</c>), never on the receive
    /// thread, and one request of a peer at a time. A handler that finishes at once (a computed answer, a cached value)
    /// returns a completed task; one that waits (disk, an upstream server, a lock held long) should go asynchronous
    /// (<c>await</c> real I/O), which frees the worker for other peers; a handler that blocks holds its worker, and with
    /// it the rest of that peer's requests. After Coap:SeparateResponseAfter from the request's arrival the engine
    /// acknowledges it and sends the answer later (RFC 7252 §5.2.2). Several calls may run at once, from different
    /// peers (a peer's next request may start while its previous one awaits). An exception becomes 5.00 and is logged. A resource that can be observed implements
    /// <see cref="Observe.IObservableResource"/> or <see cref="Observe.IObservableRoute"/> and is mapped with
    /// <see cref="ResourceMetadata.Observable"/> set; the map refuses one without the other.
    /// </remarks>
    ValueTask<CoapMessage> HandleAsync(CoapRequestContext context);

    /// <summary>
    /// The answer to a request the resource refuses whatever its body (4.05 for a method it does not implement, 4.04 for
    /// a target that does not exist), or null to take it. The engine asks before it buffers or streams a Block1 block
    /// (RFC 7959 §2.5), so such an upload is refused at its first block, holding nothing, rather than after its last.
    /// It runs on the request path: no I/O, no waiting. <see cref="CoapResource"/> answers 4.05 for the methods its
    /// subclass does not override.
    /// </summary>
    CoapMessage? RefuseBeforeBody(CoapRequestContext context) => null;
}

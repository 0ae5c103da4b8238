namespace Coap.Engine.Server;

/// <summary>
/// What a resource says of itself: the target attributes of its link in /.well-known/core (RFC 6690 §3) and the
/// Content-Formats it produces and accepts, which the engine enforces with 4.06 and 4.15 (RFC 7252 §5.10.4, §5.10.3).
/// </summary>
public sealed record ResourceMetadata
{
    /// <summary>rt: resource types ("core.ps.coll").</summary>
    public IReadOnlyList<string> ResourceTypes { get; init; } = [];

    /// <summary>if: interface descriptions.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    /// <summary>ct: the Content-Formats of its representations; a request whose Accept is not among them gets 4.06.</summary>
    public IReadOnlyList<int> ContentFormats { get; init; } = [];

    /// <summary>Content-Formats accepted in request payloads; other formats get 4.15. Empty accepts any.</summary>
    public IReadOnlyList<int> AcceptedContentFormats { get; init; } = [];

    /// <summary>sz: the estimated size of the representation.</summary>
    public long? Size { get; init; }

    /// <summary>obs: the resource can be observed (RFC 7641 §6).</summary>
    public bool Observable { get; init; }

    public string? Title { get; init; }

    /// <summary>
    /// The resource answers Block2 requests itself, for instance from a file offset (RFC 7959 §2.4), so the engine
    /// passes its requests through without slicing the response; see <see cref="Blockwise.BlockwiseResponse"/>.
    /// </summary>
    public bool ServesBlocks { get; init; }

    /// <summary>
    /// A request with an unsafe method (POST, PUT, DELETE, PATCH, iPATCH) from a peer whose address is not verified
    /// gets 4.01 Unauthorized with an Echo before the resource runs (RFC 9175 §2.4), so that the change is made once,
    /// for a peer that receives at its address. For resources whose changes start something costly (a process) and may
    /// be answered with more than <c>Coap:AmplificationFactor</c> times the request: without it such an answer is
    /// replaced by the challenge after the change, and the client's repetition makes the change again.
    /// </summary>
    public bool ChangesNeedVerifiedPeer { get; init; }

    /// <summary>
    /// The methods that change the resource, which the access policy judges as writes (<c>Access:Rules:…:Write</c>,
    /// by default authenticated requesters only); the others are reads (by default anyone). Null means the unsafe
    /// methods: POST, PUT, DELETE, PATCH and iPATCH. DNS over CoAP says none: its FETCH and POST are queries.
    /// </summary>
    public IReadOnlyList<Protocol.CoapCode>? WriteMethods { get; init; }

    /// <summary>
    /// Every method is a write for the access policy, reading too (the terminal: its output is a shell's), and
    /// /.well-known/core lists the resource only to requesters who may write it.
    /// </summary>
    public bool Private { get; init; }

    /// <summary>
    /// The handler never blocks its thread and its synchronous part is short: what takes time (an upstream's answer)
    /// it awaits. Such a request is run by the thread that received it (the socket's receive thread, or a request
    /// worker taking waiting datagrams) instead of being queued for a worker: no hand-over between threads, which on a
    /// busy core costs more than a short handler. Not for handlers that read or write files, nor for requests the
    /// server unprotects with OSCORE (its sequence numbers are flushed to disk); those always go to a worker.
    /// </summary>
    public bool RunsInline { get; init; }

    /// <summary>Left out of /.well-known/core.</summary>
    public bool Hidden { get; init; }

    public static ResourceMetadata None { get; } = new();
}

namespace Coap.Engine.Messaging;

/// <summary>Settings shared by a server and a client endpoint.</summary>
public class CoapEndpointOptions
{
    public CoapTransmissionOptions Transmission { get; set; } = new();

    /// <summary>
    /// A handler that has not answered a CON request within this time gets an empty ACK and its response goes
    /// later as a separate CON (RFC 7252 §5.2.2). Keep it below ACK_TIMEOUT so the client does not retransmit.
    /// </summary>
    public TimeSpan SeparateResponseAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Threads that run request handlers; the receive thread only decodes, deduplicates and queues. A peer's requests
    /// are handled one at a time, so a peer whose handlers block holds one worker, never all of them. No more workers
    /// than processors run at once unless some are blocked in a handler (longer than 0.2 ms), so the default, the
    /// processor count but at least 4, costs nothing on one core and keeps peers served while two others block.
    /// </summary>
    public int RequestWorkers { get; set; } = Math.Max(4, Environment.ProcessorCount);

    /// <summary>
    /// Requests waiting for a worker, all peers together; one more is answered 5.03 with Max-Age at once. With the
    /// largest datagram (64 KiB) that bounds the queue's memory to this many times 64 KiB.
    /// </summary>
    public int MaxQueuedRequests { get; set; } = 512;

    /// <summary>One peer's requests waiting for a worker; one more from that peer is answered 5.03 with Max-Age at once.</summary>
    public int MaxQueuedRequestsPerPeer { get; set; } = 32;

    /// <summary>
    /// At most this many received message IDs are remembered for duplicate detection; the oldest are forgotten
    /// first when more arrive within EXCHANGE_LIFETIME, which bounds memory under load.
    /// </summary>
    public int MaxDeduplicationEntries { get; set; } = 500_000;

    /// <summary>
    /// The largest block the server sends or asks for in block-wise transfers (RFC 7959 §2.2): a power of two from
    /// 16 to 1024. A peer asking for smaller blocks gets them; a peer asking for larger ones gets this size.
    /// </summary>
    public int MaxBlockSize { get; set; } = 1024;

    /// <summary>The largest request body the server assembles from Block1 blocks; larger ones get 4.13 (RFC 7959 §2.9.3).</summary>
    public long MaxBodySize { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The bytes all unfinished Block1 uploads may hold together; a block that would exceed it gets 5.03 with Max-Age,
    /// so many half-finished uploads cannot exhaust memory.
    /// </summary>
    public long MaxPendingUploadBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// An observer gets a confirmable notification at least this often, even when the resource asks for
    /// non-confirmable ones, so that a client that went away is noticed and removed (RFC 7641 §4.5: 24 hours).
    /// </summary>
    public TimeSpan ObserverCheck { get; set; } = TimeSpan.FromHours(24);
}

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

    /// <summary>
    /// One peer's requests waiting for a worker; one more from that peer is answered 5.03 with Max-Age at once. Unset,
    /// it is a quarter of <see cref="MaxQueuedRequests"/> (<see cref="PerPeerQueueLimit"/>): 128 at the default, which
    /// holds a whole Q-Block1 window (<see cref="Blockwise.CoapQBlockOptions.MaxWindow"/>'s default, 128 blocks). On a
    /// short path nearly all of it waits here at once, and with less room the blocks beyond it were answered 5.03 and
    /// sent again (a tenth of a 10 MiB upload on loopback).
    /// </summary>
    public int? MaxQueuedRequestsPerPeer { get; set; }

    /// <summary>What one peer may hold in the queue: <see cref="MaxQueuedRequestsPerPeer"/>, or a quarter of the queue.</summary>
    public int PerPeerQueueLimit => MaxQueuedRequestsPerPeer ?? Math.Max(1, MaxQueuedRequests / 4);

    /// <summary>
    /// The bytes duplicate detection may take: the received messages remembered for EXCHANGE_LIFETIME with the replies
    /// sent to them (RFC 7252 §4.5), at 128 bytes a message plus 128 per further 64 bytes of reply. When more arrive the
    /// oldest are forgotten first, which bounds memory under load.
    /// </summary>
    public long DeduplicationMemory { get; set; } = 4L * 1024 * 1024;

    /// <summary>
    /// The share of <see cref="DeduplicationMemory"/> one peer's messages may take; beyond it the peer's own oldest
    /// are forgotten, so one busy or hostile peer cannot push out another's. A quarter of it is the peer's reserve,
    /// which other peers take from only when nobody holds more than a reserve.
    /// </summary>
    public long DeduplicationMemoryPerPeer { get; set; } = 1024L * 1024;

    /// <summary>
    /// At most this many messages are remembered for duplicate detection whatever their size; null (the default) leaves
    /// the bound to <see cref="DeduplicationMemory"/>. Kept from before the byte budget, for configurations that set it.
    /// </summary>
    public int? MaxDeduplicationEntries { get; set; }

    /// <summary>
    /// At most this many peers (remote addresses) are remembered per socket; a new one beyond it takes the place of the
    /// least recently active one that holds no observation or request in flight.
    /// </summary>
    public int MaxPeers { get; set; } = 100_000;

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
    /// The share of <see cref="MaxPendingUploadBytes"/> one peer's unfinished uploads may hold; a block beyond it gets
    /// 5.03 with Max-Age, and a body that could never fit it (announced by Size1, or grown) 4.13 with Size1.
    /// </summary>
    public long MaxPendingUploadBytesPerPeer { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// How many streamed uploads (those a resource writes to a file as blocks arrive, like the file service's) may be
    /// unfinished at once; a new one beyond it gets 5.03 with Max-Age before anything is opened.
    /// </summary>
    public int MaxOpenUploads { get; set; } = 128;

    /// <summary>The share of <see cref="MaxOpenUploads"/> one peer may hold.</summary>
    public int MaxOpenUploadsPerPeer { get; set; } = 8;

    /// <summary>
    /// The longest time an observer goes without a confirmable notification: a notification sent later than this
    /// after its last CON (or its registration) is a CON, even when the resource asks for non-confirmable ones, so
    /// that a client that went away is noticed and removed (RFC 7641 §4.5 asks for at least every 24 hours). Also
    /// the most a resource's own <see cref="Observe.ResourceObservers.ObserverCheck"/> (a pub-sub topic's
    /// observer-check) may be.
    /// </summary>
    public TimeSpan ObserverCheck { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At least one notification in this many to an observer is confirmable: after this many minus one NON, the next is a CON.</summary>
    public int ObserverCheckNotifications { get; set; } = 20;

    /// <summary>The observations one peer (address and port) may hold; a registration beyond it is answered as a plain GET, without Observe (RFC 7641 §4.1).</summary>
    public int MaxObserversPerPeer { get; set; } = 100;

    /// <summary>The observers one resource (one observed path of a route) may have; beyond it, as <see cref="MaxObserversPerPeer"/>.</summary>
    public int MaxObserversPerResource { get; set; } = 10_000;

    /// <summary>The observations the endpoint holds in all; beyond it, as <see cref="MaxObserversPerPeer"/>.</summary>
    public int MaxObservers { get; set; } = 100_000;

    /// <summary>
    /// A response to a peer whose address is not verified is at most this many times the size of the request's
    /// datagram (RFC 9175 §2.4); a larger one is replaced by 4.01 Unauthorized with an Echo option, which the peer
    /// repeats its request with to verify its address.
    /// </summary>
    public int AmplificationFactor { get; set; } = 3;

    /// <summary>How long a peer counts as verified after it repeated a request with a valid Echo (RFC 9175 §2.4).</summary>
    public TimeSpan EchoVerificationLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Q-Block (RFC 9177): robust block-wise transfer in NON bursts; see <see cref="Blockwise.CoapQBlockOptions"/>.</summary>
    public Blockwise.CoapQBlockOptions QBlock { get; set; } = new();

    /// <summary>Peers on a loopback address (127.0.0.0/8, ::1) count as verified without an Echo round trip.</summary>
    public bool LoopbackPeersVerified { get; set; } = true;
}

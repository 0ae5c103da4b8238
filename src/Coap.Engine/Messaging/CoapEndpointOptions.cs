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

    /// <summary>
    /// A response to a peer whose address is not verified is at most this many times the size of the request's
    /// datagram (RFC 9175 §2.4); a larger one is replaced by 4.01 Unauthorized with an Echo option, which the peer
    /// repeats its request with to verify its address.
    /// </summary>
    public int AmplificationFactor { get; set; } = 3;

    /// <summary>How long a peer counts as verified after it repeated a request with a valid Echo (RFC 9175 §2.4).</summary>
    public TimeSpan EchoVerificationLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Peers on a loopback address (127.0.0.0/8, ::1) count as verified without an Echo round trip.</summary>
    public bool LoopbackPeersVerified { get; set; } = true;
}

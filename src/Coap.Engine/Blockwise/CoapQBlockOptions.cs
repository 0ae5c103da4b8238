namespace Coap.Engine.Blockwise;

/// <summary>
/// Q-Block (RFC 9177), bound from "Coap:QBlock": block-wise transfer in NON bursts with recovery of missing blocks,
/// for links with a long round trip or loss. A server answers Q-Block options when enabled (that is how it shows
/// support, as libcoap does: a server without it answers 4.02 Bad Option to the critical option); a client tries
/// Q-Block first and falls back to RFC 7959 block-wise on that 4.02.
/// </summary>
public sealed class CoapQBlockOptions
{
    /// <summary>Answer (server) or try (client) Q-Block options. On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// MAX_PAYLOADS (RFC 9177 §7.2): the most blocks a server sends for one request (a request with the M bit, or one
    /// listing missing blocks), 1–64; default 10, the RFC's. A client asks for at most this many in one request.
    /// </summary>
    public int MaxPayloads { get; set; } = 10;

    /// <summary>
    /// The blocks a client has requested and not yet received when a transfer starts (the initial congestion window),
    /// 1 to <see cref="MaxWindow"/>; default 10, one MAX_PAYLOADS set, as RFC 9177 §7.2 sends for an unknown path.
    /// </summary>
    public int InitialWindow { get; set; } = 10;

    /// <summary>
    /// The most blocks a client keeps requested and not yet received (the largest congestion window), 1–4096; default
    /// 128 (128 KiB with 1024-byte blocks). The window grows towards this while no block is lost and on loss shrinks to
    /// the measured bandwidth-delay product (by 30 % at most), so it follows the path's bandwidth-delay product within
    /// these bounds.
    /// </summary>
    public int MaxWindow { get; set; } = 128;
}

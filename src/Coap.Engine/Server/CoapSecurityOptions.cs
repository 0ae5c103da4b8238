namespace Coap.Engine.Server;

/// <summary>
/// CoAP over DTLS 1.2 (coaps://, RFC 7252 §9), bound from "Coap:Security": the listener runs when
/// <see cref="PskFile"/> names a key file or <see cref="CertificateFile"/> a certificate (or both: then the server
/// offers the PSK suites and the ECDHE-ECDSA ones, and each client gets the kind it offers).
/// </summary>
public sealed class CoapSecurityOptions
{
    /// <summary>
    /// The PSK key file: one <c>identity=key</c> per line (a key written <c>0x…</c> is hex, any other its UTF-8 bytes),
    /// <c>#</c> starts a comment line. The host refuses a file that group or others may read or write.
    /// </summary>
    public string? PskFile { get; set; }

    /// <summary>
    /// The server's X.509 certificate (PEM; the leaf first, then any intermediates) with a P-256 key, for the
    /// ECDHE-ECDSA suites; needs <see cref="PrivateKeyFile"/>.
    /// </summary>
    public string? CertificateFile { get; set; }

    /// <summary>The certificate's private key (PEM, unencrypted EC); refused when group or others may read or write it.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>
    /// CA certificates (PEM bundle). When set, a client in a certificate handshake must present a certificate that
    /// chains to one of them (mutual authentication), and its subject's CN (its whole subject without a CN) is its
    /// identity for the access policy; when not set, certificate clients are not asked for one and stay anonymous.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>The UDP port of the DTLS listener (on <c>Coap:Address</c>); 0 picks a free port.</summary>
    public int Port { get; set; } = 5684;

    /// <summary>Handshakes under way at once (each holds a thread while it runs); further ClientHellos are dropped.</summary>
    public int MaxHandshakes { get; set; } = 16;

    /// <summary>
    /// How long a handshake may take before it is abandoned; a peer with a wrong key is only noticed then (its Finished
    /// cannot be decrypted and is dropped), so keep it short.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>DTLS sessions (established or in their handshake) the listener keeps; a new one beyond is refused.</summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>A session that received no datagram from its peer for this long is closed (close_notify) and forgotten.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

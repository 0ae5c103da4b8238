using Coap.Engine.Messaging;
using Coap.Engine.Oscore;

namespace Coap.Engine.Client;

/// <summary>Client settings: transmission parameters plus how long to wait and which message type to use.</summary>
public sealed class CoapClientOptions : CoapEndpointOptions
{
    private int _blockSize = 1024;
    private TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A client measures each server's round-trip time and times its retransmissions from it (<see cref="CoapTransmissionOptions.MeasureRtt"/>).</summary>
    public CoapClientOptions()
    {
        Transmission = new CoapTransmissionOptions { MeasureRtt = true };
    }

    /// <summary>
    /// How long one request may take in all, separate responses included; null means MAX_TRANSMIT_WAIT
    /// (93 s with the default parameters, RFC 7252 §4.8.2).
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Send requests as NON instead of CON (RFC 7252 §4.3).</summary>
    public bool NonConfirmable { get; set; }

    /// <summary>
    /// The block size for block-wise transfers (RFC 7959 §2.2): 16, 32, …, 1024 bytes; other values round down to
    /// a power of two. A payload larger than this goes out in Block1 blocks; below 1024 the first request of a
    /// download also asks for this size (Block2 early negotiation, RFC 7959 §2.4). The server may pick smaller blocks.
    /// </summary>
    public int BlockSize
    {
        get => _blockSize;
        set => _blockSize = value is >= 16 and <= 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The block size is 16 to 1024 bytes (RFC 7959 §2.2).");
    }

    /// <summary>
    /// The PSK identity and key for <c>coaps://</c> requests (DTLS 1.2, RFC 7252 §9.1.3.1); null for a client that
    /// speaks plain <c>coap://</c> only.
    /// </summary>
    public PskCredentials? Psk { get; set; }

    /// <summary>
    /// Our certificate and key for <c>coaps://</c> with certificates (ECDHE-ECDSA, P-256), sent when the server asks for
    /// one. With it or <see cref="ServerCas"/> set, the client uses certificates rather than <see cref="Psk"/>.
    /// </summary>
    public Transport.Dtls.DtlsCertificate? Certificate { get; set; }

    /// <summary>
    /// The CAs a server's certificate must chain to; the handshake fails when it does not. Null with a
    /// <see cref="Certificate"/> means the system's trust store (<see cref="Transport.Dtls.DtlsTrustAnchors.System"/>):
    /// a server certificate is always verified. The server's name is not checked against the certificate.
    /// </summary>
    public Transport.Dtls.DtlsTrustAnchors? ServerCas { get; set; }

    /// <summary>
    /// The OSCORE security context (RFC 8613) every request is protected with and every response verified against,
    /// usually a folder's (<see cref="OscoreContextFolder.Open"/>, which the caller disposes after the client, saving
    /// the state); null for no OSCORE. A 4.01 with Echo inside a protected response (a restarted server, §B.1.2) is
    /// answered by repeating the request with the Echo, protected anew.
    /// </summary>
    public OscoreSecurityContext? Oscore { get; set; }

    /// <summary>
    /// With <see cref="Oscore"/>: a request is protected whole, however large its payload, and a protected request
    /// whose payload is larger than <see cref="BlockSize"/> goes in Outer Block1 blocks of that size (RFC 8613
    /// §4.1.3.4.2), which the server puts together and verifies once. Off (the default), a payload larger than a block
    /// goes by inner block-wise: each Block1 block is a protected request of its own.
    /// </summary>
    public bool OscoreOuterBlockwise { get; set; }

    /// <summary>
    /// How long a DTLS handshake may take before the request fails (1 s to 5 min, default 10 s). A wrong key shows
    /// only this way: the server drops what it cannot decrypt.
    /// </summary>
    public TimeSpan HandshakeTimeout
    {
        get => _handshakeTimeout;
        set => _handshakeTimeout = value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromMinutes(5)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The DTLS handshake timeout is 1 s to 5 min.");
    }

    /// <summary>
    /// Whether what follows an awaited <c>SendAsync</c> runs on the thread that received the response instead of
    /// being handed to the thread pool (default false). Saves a thread hand-over per request for a caller whose
    /// continuation is short and never blocks, such as a proxy that only passes the answer on; a continuation that
    /// blocks or does slow work would hold up every later response to this client.
    /// </summary>
    public bool ContinueOnReceiveThread { get; set; }

    /// <summary>The timeout in force.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? Transmission.MaxTransmitWait;
}

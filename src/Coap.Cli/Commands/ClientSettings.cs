using Coap.Engine.Client;
using Coap.Engine.Oscore;
using Coap.Engine.Transport.Dtls;

namespace Coap.Cli.Commands;

/// <summary>
/// How to talk to the server: the timeout (null for the client's default), CON or NON, whether to trace, the
/// block size for block-wise transfers (null for the client's default, 1024), the PSK credentials or certificates
/// for coaps:// and the OSCORE context (--oscore).
/// </summary>
internal sealed record ClientSettings(TimeSpan? Timeout, bool NonConfirmable, bool Verbose)
{
    /// <summary>The longest a DTLS handshake may take unless --timeout is shorter.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public int? BlockSize { get; init; }

    /// <summary>--no-qblock: RFC 7959 block-wise only, no Q-Block (RFC 9177).</summary>
    public bool NoQBlock { get; init; }

    /// <summary>The identity and key from -u and -k (or --key-file); null without them.</summary>
    public PskCredentials? Psk { get; init; }

    /// <summary>Our certificate and key from --cert and --cert-key; null without them.</summary>
    public DtlsCertificate? Certificate { get; init; }

    /// <summary>The CAs of --ca; null without (then the system's, when --cert is given).</summary>
    public DtlsTrustAnchors? ServerCas { get; init; }

    /// <summary>The OSCORE context of --oscore DIR, open (locked) until the command ends; null without it.</summary>
    public OscoreSecurityContext? Oscore { get; init; }

    /// <summary>--oscore-outer-blocks: a large request protected whole, in Outer Block1 blocks.</summary>
    public bool OscoreOuterBlocks { get; init; }

    /// <summary>The forward proxy of --proxy (Proxy-Uri names the target); null to talk to the target itself.</summary>
    public CoapUri? Proxy { get; init; }

    public CoapClientOptions ToClientOptions()
    {
        var options = new CoapClientOptions
        {
            Timeout = Timeout,
            NonConfirmable = NonConfirmable,
            Psk = Psk,
            Certificate = Certificate,
            ServerCas = ServerCas,
            Oscore = Oscore,
            OscoreOuterBlockwise = OscoreOuterBlocks,
        };
        if (BlockSize is { } size)
        {
            options.BlockSize = size;
        }

        options.QBlock.Enabled = !NoQBlock;

        if (Timeout is { } timeout && timeout < HandshakeTimeout)
        {
            // --timeout bounds the handshake too, down to the least the client takes (1 s).
            options.HandshakeTimeout = timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout;
        }

        return options;
    }

    /// <summary>The transfer settings in force, for --verbose: Q-Block and its window, the retransmission timing.</summary>
    public static string DescribeTransfer(CoapClientOptions options)
    {
        var q = options.QBlock;
        var t = options.Transmission;
        var qblock = q.Enabled ? $"Q-Block on (MAX_PAYLOADS {q.MaxPayloads}, window {q.InitialWindow}-{q.MaxWindow} blocks)" : "Q-Block off";
        var rto = t.MeasureRtt ? $"RTO from measured RTT ({t.MinRto.TotalMilliseconds:0} ms-{t.MaxRto.TotalSeconds:0} s)" : $"ACK_TIMEOUT {t.AckTimeout.TotalSeconds:0.###} s";
        return $"transfer: block size {options.BlockSize}, {qblock}, {rto}";
    }
}

using Coap.Engine.Messaging;

namespace Coap.Engine.Client;

/// <summary>Client settings: transmission parameters plus how long to wait and which message type to use.</summary>
public sealed class CoapClientOptions : CoapEndpointOptions
{
    private int _blockSize = 1024;

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

    /// <summary>The timeout in force.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? Transmission.MaxTransmitWait;
}

using Coap.Engine.Messaging;

namespace Coap.Engine.Client;

/// <summary>Client settings: transmission parameters plus how long to wait and which message type to use.</summary>
public sealed class CoapClientOptions : CoapEndpointOptions
{
    /// <summary>
    /// How long one request may take in all, separate responses included; null means MAX_TRANSMIT_WAIT
    /// (93 s with the default parameters, RFC 7252 §4.8.2).
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Send requests as NON instead of CON (RFC 7252 §4.3).</summary>
    public bool NonConfirmable { get; set; }

    /// <summary>The timeout in force.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? Transmission.MaxTransmitWait;
}

namespace Coap.Engine.Messaging;

/// <summary>Transmission parameters (RFC 7252 §4.8), bound from "Coap:Transmission"; derived times per §4.8.2.</summary>
public sealed class CoapTransmissionOptions
{
    /// <summary>ACK_TIMEOUT: the first retransmission waits this long times a random factor.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>ACK_RANDOM_FACTOR: at least 1.0.</summary>
    public double AckRandomFactor { get; set; } = 1.5;

    /// <summary>MAX_RETRANSMIT: retransmissions before giving up.</summary>
    public int MaxRetransmit { get; set; } = 4;

    /// <summary>NSTART: outstanding requests a client keeps to one server.</summary>
    public int NStart { get; set; } = 1;

    /// <summary>MAX_LATENCY: the longest time a datagram is expected to travel.</summary>
    public TimeSpan MaxLatency { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Measure each peer's round-trip time on acknowledged CON messages and time the first retransmission from it
    /// (RFC 6298 §2 smoothing, in the spirit of CoCoA) instead of from ACK_TIMEOUT, which stays the timeout until the
    /// first measurement. On for clients (<see cref="Client.CoapClientOptions"/>), off for servers by default.
    /// </summary>
    public bool MeasureRtt { get; set; }

    /// <summary>The smallest retransmission timeout a measured RTT may give (RFC 6298 §2.4 bound; default 200 ms).</summary>
    public TimeSpan MinRto { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest retransmission timeout a measured RTT may give (default 60 s, RFC 6298 §2.5).</summary>
    public TimeSpan MaxRto { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>MAX_TRANSMIT_SPAN = ACK_TIMEOUT × (2^MAX_RETRANSMIT − 1) × ACK_RANDOM_FACTOR.</summary>
    public TimeSpan MaxTransmitSpan => AckTimeout * (((1 << MaxRetransmit) - 1) * AckRandomFactor);

    /// <summary>MAX_TRANSMIT_WAIT = ACK_TIMEOUT × (2^(MAX_RETRANSMIT + 1) − 1) × ACK_RANDOM_FACTOR.</summary>
    public TimeSpan MaxTransmitWait => AckTimeout * (((1 << (MaxRetransmit + 1)) - 1) * AckRandomFactor);

    /// <summary>PROCESSING_DELAY, which the RFC sets to ACK_TIMEOUT.</summary>
    public TimeSpan ProcessingDelay => AckTimeout;

    /// <summary>EXCHANGE_LIFETIME = MAX_TRANSMIT_SPAN + 2 × MAX_LATENCY + PROCESSING_DELAY (247 s by default).</summary>
    public TimeSpan ExchangeLifetime => MaxTransmitSpan + (2 * MaxLatency) + ProcessingDelay;

    /// <summary>NON_LIFETIME = MAX_TRANSMIT_SPAN + MAX_LATENCY (145 s by default).</summary>
    public TimeSpan NonLifetime => MaxTransmitSpan + MaxLatency;
}

namespace Coap.Engine.Messaging;

/// <summary>
/// One peer's round-trip time, measured on CON messages acknowledged without a retransmission (Karn's rule), and the
/// retransmission timeout (RTO) derived from it as RFC 6298 §2 does: SRTT and RTTVAR smoothed with α = 1/8, β = 1/4,
/// RTO = SRTT + 4·RTTVAR, bounded by <see cref="CoapTransmissionOptions.MinRto"/> and
/// <see cref="CoapTransmissionOptions.MaxRto"/>. Before the first sample there is no estimate and ACK_TIMEOUT applies
/// (RFC 7252 §4.8, CoCoA's initial RTO). Not thread-safe: the message manager uses it under its lock.
/// </summary>
internal sealed class RttEstimator
{
    private double _smoothed;
    private double _variation;

    /// <summary>True once a sample was taken.</summary>
    public bool HasSample { get; private set; }

    /// <summary>The smoothed RTT (SRTT), zero before the first sample.</summary>
    public TimeSpan Smoothed => TimeSpan.FromTicks((long)_smoothed);

    /// <summary>Takes one RTT measurement.</summary>
    public void Add(TimeSpan sample)
    {
        var r = Math.Max(0, sample.Ticks);
        if (!HasSample)
        {
            _smoothed = r;
            _variation = r / 2.0;
            HasSample = true;
            return;
        }

        _variation = (0.75 * _variation) + (0.25 * Math.Abs(_smoothed - r));
        _smoothed = (0.875 * _smoothed) + (0.125 * r);
    }

    /// <summary>The RTO: SRTT + 4·RTTVAR within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public TimeSpan Rto(TimeSpan min, TimeSpan max)
    {
        var rto = TimeSpan.FromTicks((long)(_smoothed + (4 * _variation)));
        return rto < min ? min : rto > max ? max : rto;
    }
}

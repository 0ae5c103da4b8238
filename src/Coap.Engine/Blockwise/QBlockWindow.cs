using Coap.Engine.Messaging;

namespace Coap.Engine.Blockwise;

/// <summary>
/// The congestion control of a Q-Block transfer (RFC 9177 §7, RFC 8085 §3.1): how many blocks may be requested and
/// not yet received. It starts at <see cref="CoapQBlockOptions.InitialWindow"/> (one MAX_PAYLOADS set), grows by one
/// block per block received while below the slow-start threshold (doubling each round trip) and by one block per
/// window above it, and shrinks on loss, at most once per round trip, never below the initial window (the set
/// RFC 9177 §7.2 sends on any path) nor above <see cref="CoapQBlockOptions.MaxWindow"/>. How far it shrinks follows
/// TCP Westwood+: to the measured bandwidth-delay product (the delivery rate, sampled per block as the blocks
/// delivered while it was in flight over its round trip, times the least round trip seen), but by 30 % at most. A
/// loss on a path whose queue is filling (round trips above the least) so takes the 30 %, while a random loss on a
/// path without a queue (a radio link) leaves the window near what the path carries, and does not starve the transfer.
/// A loss found when nothing arrived since the last one (the path may be gone) always takes the 30 %. The RTO comes
/// from the round trips measured on blocks requested once (Karn's rule), with exponential back-off (up to 8 times)
/// while nothing at all arrives. Used by one transfer at a time, not thread-safe.
/// </summary>
internal sealed class QBlockWindow
{
    private readonly int _max;
    private readonly int _min;
    private readonly TimeSpan _minRto;
    private readonly TimeSpan _maxRto;
    private readonly TimeSpan _initialRto;
    private readonly RttEstimator _rtt = new();
    private double _window;
    private double _threshold;
    private double _roundMax;
    private double _previousRoundMax;
    private long _roundStart;
    private TimeSpan _minRtt = TimeSpan.MaxValue;
    private long _lastReduction;
    private int _backoff;

    public QBlockWindow(CoapQBlockOptions options, CoapTransmissionOptions transmission)
    {
        _max = options.MaxWindow;
        _window = options.InitialWindow;
        _min = options.InitialWindow;
        _threshold = options.MaxWindow;
        _minRto = transmission.MinRto;
        _maxRto = transmission.MaxRto;
        _initialRto = transmission.AckTimeout;
    }

    /// <summary>The blocks that may be outstanding now.</summary>
    public int Size => Math.Max(1, (int)_window);

    /// <summary>The smoothed round-trip time, zero before the first measurement.</summary>
    public TimeSpan SmoothedRtt => _rtt.Smoothed;

    /// <summary>How long a requested block may take before it counts as lost.</summary>
    public TimeSpan Rto
    {
        get
        {
            var rto = _rtt.HasSample ? _rtt.Rto(_minRto, _maxRto) : _initialRto;
            var backedOff = rto * (1 << Math.Min(_backoff, 3));
            return backedOff < _maxRto ? backedOff : _maxRto;
        }
    }

    /// <summary>A block arrived; <paramref name="rtt"/> is its round trip when it was requested only once.</summary>
    public void OnReceived(TimeSpan? rtt)
    {
        _backoff = 0;
        if (rtt is { } sample)
        {
            _rtt.Add(sample);
        }

        _window += _window < _threshold ? 1 : 1 / _window;
        _window = Math.Min(_window, _max);
    }

    /// <summary>
    /// The measured bandwidth-delay product in blocks: the largest delivery sample of this round trip and the one
    /// before (BBR's max filter, so that requests answered in clumps do not make it look smaller); zero before the
    /// first sample.
    /// </summary>
    public double Pipe => Math.Max(_roundMax, _previousRoundMax);

    /// <summary>
    /// A delivery sample of a block requested once, arrived at <paramref name="now"/> (a timestamp):
    /// <paramref name="delivered"/> blocks arrived while it was in flight, which took <paramref name="rtt"/>. Its
    /// bandwidth-delay product is that rate times the least round trip seen.
    /// </summary>
    public void OnDelivered(int delivered, TimeSpan rtt, long now, long frequency)
    {
        if (rtt <= TimeSpan.Zero)
        {
            return;
        }

        _minRtt = rtt < _minRtt ? rtt : _minRtt;
        if (now - _roundStart >= (long)(_rtt.Smoothed.TotalSeconds * frequency))
        {
            _previousRoundMax = _roundMax;
            _roundMax = 0;
            _roundStart = now;
        }

        _roundMax = Math.Max(_roundMax, delivered * (_minRtt.TotalSeconds / rtt.TotalSeconds));
    }

    /// <summary>
    /// Blocks were lost at <paramref name="now"/> (a timestamp); <paramref name="nothingArrived"/> when no block came
    /// since the last loss, <paramref name="overloaded"/> when the server said so (5.03: its queue for us is full).
    /// </summary>
    public void OnLoss(long now, long frequency, bool nothingArrived, bool overloaded = false)
    {
        if (nothingArrived)
        {
            _backoff++;
        }

        var roundTrip = (long)(Math.Max(_rtt.Smoothed.TotalSeconds, _minRto.TotalSeconds) * frequency);
        if (_lastReduction != 0 && now - _lastReduction < roundTrip)
        {
            return;
        }

        // When nothing arrived since the last loss the path may be gone or collapsing, and a server that says it is
        // overloaded takes no more than it did: what the path carried before is no measure of it now, so the full 30 %.
        _lastReduction = now;
        var carried = nothingArrived || overloaded ? 0 : Math.Min(_window, Pipe);
        _threshold = Math.Max(Math.Max(_window * 0.7, carried), _min);
        _window = _threshold;
    }
}

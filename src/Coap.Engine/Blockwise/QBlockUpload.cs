using System.Formats.Cbor;
using System.Net;
using System.Security.Cryptography;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// The client side of Q-Block1 (RFC 9177 §4.3): block 0 goes as a CON request with Q-Block1 and Size1 (the probe: a
/// server without Q-Block answers 4.02), the rest as NON requests with one token and a Request-Tag new for every
/// upload, as many in flight as <see cref="QBlockWindow"/>'s congestion window allows, at most MAX_PAYLOADS at a time,
/// and never more than <see cref="Block1Stage.QBlock1Ahead"/> beyond the first block not yet acknowledged (what the
/// server holds out of order). The server's 2.31 acknowledges every block up to the one its Q-Block1 names (a server
/// answers every block, or only the last of each MAX_PAYLOADS set and the irregular ones); its 4.08
/// with Content-Format 272 lists missing blocks, which are sent again at once (unless sent again less than a round trip
/// ago); a 5.03 (the server's request queue for us full) shrinks the window. The upload ends with the server's final
/// response (2.01, 2.04, …) or an error, which is returned.
/// </summary>
/// <remarks>
/// A block counts as in flight until it is acknowledged or for <see cref="FlightHorizon"/> after it was sent: one
/// older and not acknowledged is either held by the server above a gap or lost, and a lost one is listed in the next
/// 4.08 that a later block draws, so it no longer takes room in the window. When nothing at all arrives for the RTO
/// (RFC 9177 §7.2's NON_TIMEOUT role), the set's answer or the blocks after the last one received were lost: the
/// lowest and the highest block not acknowledged go again as the probe (the server answers the highest with the list
/// of all blocks it misses below it, or 2.31 for all; one that answers only a set's last block may leave a probe block
/// new to it, in order, unanswered, and answers the next probe's copies), the RTO backs off and the window shrinks. A 4.02, an RST or no
/// acknowledgement of the CON probe means no Q-Block1 there: null, and the caller uploads by RFC 7959; a 4.01 with an
/// Echo has the probe sent again with it (<see cref="QBlockTransfer"/>), any other 4.01 is the result. The transfer
/// fails with <see cref="CoapTimeoutException"/> when no response arrives for the client's timeout
/// (NON_PARTIAL_TIMEOUT's role).
/// </remarks>
internal sealed class QBlockUpload : QBlockTransfer
{
    private readonly CoapMessage _template;
    private readonly CoapClientOptions _options;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly QBlockWindow _window;
    private readonly ReadOnlyMemory<byte> _payload;
    private readonly int _exponent;
    private readonly int _size;
    private readonly int _count;
    private readonly bool[] _acked;
    private readonly int[] _tries;

    /// <summary>Per block, how many blocks were acknowledged when it was last sent (for delivery-rate samples).</summary>
    private readonly long[] _deliveredAtSend;
    private long _delivered;
    private readonly QBlockFlight _outstanding;
    private readonly SortedSet<int> _lost = [];
    private readonly List<int> _probe = [];
    private int _firstUnacked;
    private int _next;
    private long _ackedBytes;
    private int _retransmissions;
    private int _sentThisTurn;
    private long _lastArrival;
    private long _lastProbe;

    private QBlockUpload(CoapEndpoint endpoint, CoapMessage request, CoapClientOptions options, TimeProvider time, IProgress<TransferProgress>? progress)
        : base(endpoint, time)
    {
        _options = options;
        _progress = progress;
        _window = new QBlockWindow(options.QBlock, options.Transmission);
        _payload = request.Payload;
        _exponent = BlockValue.ExponentFor(options.BlockSize);
        _size = 1 << (_exponent + 4);
        _count = (int)((_payload.Length + (long)_size - 1) / _size);
        _acked = new bool[_count];
        _tries = new int[_count];
        _deliveredAtSend = new long[_count];
        _outstanding = new QBlockFlight(_count);
        _template = BlockRequests.Derive(request);
        _template.Options.Set(new CoapOption(OptionNumber.RequestTag, RandomNumberGenerator.GetBytes(4)));
    }

    /// <summary>How long a block not acknowledged counts as in flight: two smoothed round trips, at least 10 ms; until the first measurement, until acknowledged.</summary>
    private TimeSpan FlightHorizon => _window.SmoothedRtt == TimeSpan.Zero ? TimeSpan.MaxValue
        : TimeSpan.FromTicks(Math.Max(2 * _window.SmoothedRtt.Ticks, TimeSpan.TicksPerMillisecond * 10));

    /// <summary>Whether the request's payload can go by Q-Block1.</summary>
    public static bool Applies(CoapMessage request, CoapClientOptions options) =>
        options.QBlock.Enabled && options.Oscore is null && (request.Code == CoapCode.Put || request.Code == CoapCode.Post)
        && request.Observe is null && request.Payload.Length > options.BlockSize
        && request.Payload.Length <= (long)(BlockValue.MaxNumber + 1) * options.BlockSize;

    /// <summary>Uploads the request's payload; null when the server does not support Q-Block1 (fall back to Block1).</summary>
    public static Task<CoapMessage?> RunAsync(CoapEndpoint endpoint, CoapMessage request, IPEndPoint remote, CoapClientOptions options, TimeProvider time,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var upload = new QBlockUpload(endpoint, request, options, time, progress);
        var probe = upload.Block(0);
        probe.Type = CoapMessageType.Confirmable;
        return upload.RunAsync(probe, remote, cancellationToken);
    }

    protected override void Started() => _lastArrival = Time.GetTimestamp();

    protected override void ProbeRepeated()
    {
        _lastArrival = Time.GetTimestamp();
        _tries[0]++;
        _outstanding.Sent(0, _lastArrival);
    }

    protected override ValueTask<(bool Done, CoapMessage? Result)> TakeAsync(CoapMessage response, CancellationToken cancellationToken) => new(Take(response));

    private (bool Done, CoapMessage? Result) Take(CoapMessage response)
    {
        var now = Time.GetTimestamp();
        if (response.Code == CoapCode.Continue && BlockRequests.TryGetBlock(response, OptionNumber.QBlock1, out var block))
        {
            Served = true;
            _lastArrival = now;
            var upTo = (int)Math.Min(block.Number, _count - 1);
            // A round trip is measured on the block a 2.31 names (the one that drew it: a server answers a set's last
            // block, or every block), when it and every block it newly acknowledges were sent once, and NON (the CON
            // probe may have been retransmitted by the message layer): one that fills a gap was sent again, and its
            // 2.31 acknowledges blocks received long before.
            var sample = upTo > 0 && SentOnce(_firstUnacked, upTo);
            for (var number = _firstUnacked; number <= upTo; number++)
            {
                Acknowledge(number, now, delivery: sample, roundTrip: sample && number == upTo);
            }

            Report();
            return (false, null);
        }

        if (response.Code == CoapCode.RequestEntityIncomplete && response.ContentFormat == Block1Stage.MissingBlocksFormat && Served)
        {
            _lastArrival = now;
            OnMissing(ReadMissing(response.Payload), now);
            Report();
            return (false, null);
        }

        if (Served && response.Code == CoapCode.ServiceUnavailable)
        {
            // The server's queue for us overflowed (5.03, Max-Age): a block was dropped there; the next 4.08 lists it,
            // and the window shrinks.
            _lastArrival = now;
            _window.OnLoss(now, Time.TimestampFrequency, nothingArrived: false, overloaded: true);
            return (false, null);
        }

        if (!Served && response.Code == CoapCode.BadOption)
        {
            return (true, null);
        }

        if (response.Code.IsSuccess)
        {
            _ackedBytes = _payload.Length;
            Report();
            response.Options.Remove(OptionNumber.QBlock1);
        }

        return (true, response);
    }

    /// <summary>
    /// The server lists the blocks missing below the highest it has: those below the first listed and the unlisted ones
    /// between are in; the listed ones go again unless sent again less than a round trip ago (that copy may be on its way:
    /// this list left the server half a round trip ago).
    /// </summary>
    private void OnMissing(List<int> missing, long now)
    {
        if (missing.Count == 0)
        {
            return;
        }

        var listed = new HashSet<int>(missing);
        var highest = Math.Min(missing[^1], _count - 1);
        for (var number = _firstUnacked; number <= highest; number++)
        {
            if (!listed.Contains(number))
            {
                Acknowledge(number, now, delivery: false, roundTrip: false);
            }
        }

        var recent = _window.SmoothedRtt;
        var lostNow = false;
        foreach (var number in missing)
        {
            if (number < _count && _outstanding.TryGetSentAt(number, out var sentAt) && Time.GetElapsedTime(sentAt, now) >= recent)
            {
                _outstanding.Remove(number, out _);
                _lost.Add(number);
                _retransmissions++;
                lostNow = true;
            }
        }

        if (lostNow)
        {
            _window.OnLoss(now, Time.TimestampFrequency, nothingArrived: false);
        }
    }

    /// <summary>Whether every block from <paramref name="from"/> to <paramref name="to"/> not yet acknowledged was sent once.</summary>
    private bool SentOnce(int from, int to)
    {
        for (var number = from; number <= to; number++)
        {
            if (!_acked[number] && _tries[number] != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A block is acknowledged. With <paramref name="delivery"/>, a block sent once gives a delivery sample (the blocks
    /// acknowledged while it was in flight over the time since it was sent: every block a 2.31 acknowledges, so that a
    /// server answering only a set's last block gives as many as one answering each); with
    /// <paramref name="roundTrip"/> also a round-trip sample (the block that drew the 2.31).
    /// </summary>
    private void Acknowledge(int number, long now, bool delivery, bool roundTrip)
    {
        if (_acked[number])
        {
            return;
        }

        _acked[number] = true;
        var sentAt = _outstanding.Remove(number, out var at) ? at : (long?)null;
        _lost.Remove(number);
        _probe.Remove(number);
        _ackedBytes += Math.Min(_size, _payload.Length - ((long)number * _size));
        _delivered++;
        TimeSpan? elapsed = delivery && _tries[number] == 1 && sentAt is { } once ? Time.GetElapsedTime(once, now) : null;
        if (elapsed is { } measured)
        {
            // A delivery sample, as the download takes them: on loss the window goes to what the path carried.
            _window.OnDelivered((int)(_delivered - _deliveredAtSend[number]), measured, now, Time.TimestampFrequency);
        }

        var rtt = roundTrip ? elapsed : null;
        _window.OnReceived(rtt);
        while (_firstUnacked < _count && _acked[_firstUnacked])
        {
            _firstUnacked++;
        }
    }

    private static List<int> ReadMissing(ReadOnlyMemory<byte> payload)
    {
        var missing = new List<int>();
        try
        {
            var reader = new CborReader(payload, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
            while (reader.PeekState() != CborReaderState.Finished && missing.Count <= BlockValue.MaxNumber)
            {
                missing.Add((int)Math.Min(reader.ReadUInt32(), BlockValue.MaxNumber));
            }
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            throw new CoapException("The server's list of missing blocks is not a CBOR sequence of block numbers (RFC 9177 §5).");
        }

        missing.Sort();
        return missing;
    }

    /// <summary>
    /// When nothing arrived for the RTO since the last response or probe, the lowest and the highest block not
    /// acknowledged go again (the probe), the RTO backs off and the window shrinks. Before the server answered, the
    /// CON probe's retransmission is the message layer's.
    /// </summary>
    protected override void Expire()
    {
        _sentThisTurn = 0;
        var now = Time.GetTimestamp();
        if (Time.GetElapsedTime(_lastArrival, now) > _options.EffectiveTimeout)
        {
            throw new CoapTimeoutException($"No Q-Block1 response arrived within {_options.EffectiveTimeout.TotalSeconds:0.###} s.");
        }

        if (!Served || _outstanding.Count == 0 || Time.GetElapsedTime(Math.Max(_lastArrival, _lastProbe), now) < _window.Rto)
        {
            return;
        }

        _lastProbe = now;

        // Every outstanding block was sent, and every one below the first not acknowledged is acknowledged.
        if (_outstanding.Extremes(_firstUnacked, Math.Max(_next, 1)) is not var (lowest, highest))
        {
            return;
        }

        foreach (var number in (int[])[lowest, highest])
        {
            if (_outstanding.Remove(number, out _))
            {
                _probe.Add(number);
                _retransmissions++;
            }
        }

        _window.OnLoss(now, Time.TimestampFrequency, nothingArrived: true);
    }

    protected override TimeSpan NextDeadline()
    {
        var now = Time.GetTimestamp();
        if (!Served)
        {
            return AtLeastOneMillisecond(_options.EffectiveTimeout - Time.GetElapsedTime(_lastArrival, now));
        }

        var wait = _window.Rto - Time.GetElapsedTime(Math.Max(_lastArrival, _lastProbe), now);
        if (HasMore)
        {
            if (_sentThisTurn >= _options.QBlock.MaxPayloads)
            {
                // Paced: the next MAX_PAYLOADS blocks after their share of a round trip.
                var share = _window.SmoothedRtt * _options.QBlock.MaxPayloads / _window.Size;
                wait = share < wait ? share : wait;
            }
            else if (InFlight(now, out var oldest) >= _window.Size && oldest is { } at)
            {
                // The window is full: room comes when its oldest block leaves the flight.
                var left = FlightHorizon - Time.GetElapsedTime(at, now);
                wait = left < wait ? left : wait;
            }
        }

        return AtLeastOneMillisecond(wait);
    }

    private bool HasMore => _lost.Count > 0 || (_next < _count && _next - _firstUnacked < Block1Stage.QBlock1Ahead);

    /// <summary>The blocks in flight (see <see cref="FlightHorizon"/>), and when the oldest of them was sent.</summary>
    private int InFlight(long now, out long? oldest)
    {
        var horizon = FlightHorizon;
        return _outstanding.InFlight(now, horizon == TimeSpan.MaxValue ? long.MaxValue : (long)(horizon.TotalSeconds * Time.TimestampFrequency), out oldest);
    }

    /// <summary>The next block to send when the window has room: a lost one first, then a new one.</summary>
    protected override CoapMessage? Next()
    {
        if (_probe.Count > 0)
        {
            // The probe goes whatever the window: it is what draws the answer that opens it again.
            var probe = _probe[0];
            _probe.RemoveAt(0);
            return Block(probe);
        }

        if (!Served || _sentThisTurn >= _options.QBlock.MaxPayloads || !HasMore || InFlight(Time.GetTimestamp(), out _) >= _window.Size)
        {
            return null;
        }

        int number;
        if (_lost.Count > 0)
        {
            number = _lost.Min;
            _lost.Remove(number);
        }
        else
        {
            while (_next < _count && _acked[_next])
            {
                _next++;
            }

            if (_next >= _count || _next - _firstUnacked >= Block1Stage.QBlock1Ahead)
            {
                return null;
            }

            number = _next++;
        }

        _sentThisTurn++;
        return Block(number);
    }

    private CoapMessage Block(int number)
    {
        var offset = (long)number * _size;
        var length = (int)Math.Min(_size, _payload.Length - offset);
        var request = BlockRequests.Derive(_template);
        request.Type = CoapMessageType.NonConfirmable;
        request.Payload = _payload.Slice((int)offset, length);
        request.Options.Add(new BlockValue(number, number < _count - 1, _exponent).ToOption(OptionNumber.QBlock1));
        if (number == 0)
        {
            request.Options.SetUInt(OptionNumber.Size1, (uint)_payload.Length);
        }

        _tries[number]++;
        _deliveredAtSend[number] = _delivered;
        _outstanding.Sent(number, Time.GetTimestamp());
        return request;
    }

    private void Report() => _progress?.Report(new TransferProgress(_ackedBytes, _payload.Length, _retransmissions));
}

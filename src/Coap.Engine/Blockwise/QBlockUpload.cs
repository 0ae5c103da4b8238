using System.Formats.Cbor;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// The client side of Q-Block1 (RFC 9177 §4.3): block 0 goes as a CON request with Q-Block1 and Size1 (the probe: a
/// server without Q-Block answers 4.02), the rest as NON requests with one token and a Request-Tag new for every
/// upload, as many outstanding as <see cref="QBlockWindow"/>'s congestion window allows and never more than
/// <see cref="Block1Stage.QBlock1Ahead"/> beyond the first block not yet acknowledged (what the server holds out of
/// order). The server's 2.31 acknowledges every block up to the one its Q-Block1 names; its 4.08 with Content-Format
/// 272 lists missing blocks, which are sent again (once per round trip); a block not acknowledged within the RTO is sent
/// again too, as is one the server's 5.03 (its request queue for us full) stood for. The upload ends with the server's final response (2.01, 2.04, …) or an error, which is returned.
/// </summary>
/// <remarks>
/// A 4.02, an RST or no acknowledgement of the probe means no Q-Block1 there: null, and the caller uploads by RFC 7959.
/// The transfer fails with <see cref="CoapTimeoutException"/> when no response arrives for the client's timeout.
/// </remarks>
internal sealed class QBlockUpload
{
    private readonly CoapEndpoint _endpoint;
    private readonly CoapMessage _template;
    private readonly CoapClientOptions _options;
    private readonly TimeProvider _time;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly QBlockWindow _window;
    private readonly ReadOnlyMemory<byte> _payload;
    private readonly int _exponent;
    private readonly int _size;
    private readonly int _count;
    private readonly bool[] _acked;
    private readonly long[] _sentAt;
    private readonly int[] _tries;
    private readonly Dictionary<int, long> _outstanding = [];
    private readonly SortedSet<int> _lost = [];
    private int _firstUnacked;
    private int _next;
    private long _ackedBytes;
    private int _retransmissions;
    private bool _served;
    private bool _arrivedSinceLoss;
    private long _lastArrival;

    private QBlockUpload(CoapEndpoint endpoint, CoapMessage request, CoapClientOptions options, TimeProvider time, IProgress<TransferProgress>? progress)
    {
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _progress = progress;
        _window = new QBlockWindow(options.QBlock, options.Transmission);
        _payload = request.Payload;
        _exponent = BlockValue.ExponentFor(options.BlockSize);
        _size = 1 << (_exponent + 4);
        _count = (int)((_payload.Length + (long)_size - 1) / _size);
        _acked = new bool[_count];
        _sentAt = new long[_count];
        _tries = new int[_count];
        _template = BlockRequests.Derive(request);
        _template.Options.Set(new CoapOption(OptionNumber.RequestTag, RandomNumberGenerator.GetBytes(4)));
    }

    /// <summary>Whether the request's payload can go by Q-Block1.</summary>
    public static bool Applies(CoapMessage request, CoapClientOptions options) =>
        options.QBlock.Enabled && options.Oscore is null && (request.Code == CoapCode.Put || request.Code == CoapCode.Post)
        && request.Observe is null && request.Payload.Length > options.BlockSize
        && request.Payload.Length <= (long)(BlockValue.MaxNumber + 1) * options.BlockSize;

    /// <summary>Uploads the request's payload; null when the server does not support Q-Block1 (fall back to Block1).</summary>
    public static Task<CoapMessage?> RunAsync(CoapEndpoint endpoint, CoapMessage request, IPEndPoint remote, CoapClientOptions options, TimeProvider time,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken) =>
        new QBlockUpload(endpoint, request, options, time, progress).RunAsync(remote, cancellationToken);

    private async Task<CoapMessage?> RunAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        var probe = Block(0);
        probe.Type = CoapMessageType.Confirmable;
        var exchange = _endpoint.OpenStream(probe, remote);
        try
        {
            _endpoint.Transmit(exchange, probe);
            _lastArrival = _time.GetTimestamp();
            var reader = exchange.Notifications!.Reader;
            while (true)
            {
                CoapMessage? response = null;
                if (!reader.TryRead(out response))
                {
                    try
                    {
                        response = await reader.ReadAsync(cancellationToken).AsTask().WaitAsync(NextDeadline(), _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                    }
                    catch (ChannelClosedException closed) when (closed.InnerException is CoapException failure)
                    {
                        return _served ? throw failure : null;
                    }
                }

                if (response is not null && Take(response) is var (done, result) && done)
                {
                    return result;
                }

                Expire();
                if (_served)
                {
                    while (NextBlock() is { } block)
                    {
                        _endpoint.Transmit(exchange, block);
                    }
                }
            }
        }
        finally
        {
            _endpoint.CloseStream(exchange);
        }
    }

    /// <summary>Handles one response; Done with the result when the upload is over (null result: fall back).</summary>
    private (bool Done, CoapMessage? Result) Take(CoapMessage response)
    {
        var now = _time.GetTimestamp();
        if (response.Code == CoapCode.Continue && BlockRequests.TryGetBlock(response, OptionNumber.QBlock1, out var block))
        {
            _served = true;
            _lastArrival = now;
            var upTo = (int)Math.Min(block.Number, _count - 1);
            Acknowledge(upTo, now, sample: true);
            for (var number = _firstUnacked; number <= upTo; number++)
            {
                Acknowledge(number, now, sample: false);
            }

            Report();
            return (false, null);
        }

        if (response.Code == CoapCode.RequestEntityIncomplete && response.ContentFormat == Block1Stage.MissingBlocksFormat && _served)
        {
            _lastArrival = now;
            OnMissing(ReadMissing(response.Payload), now);
            Report();
            return (false, null);
        }

        if (_served && response.Code == CoapCode.ServiceUnavailable)
        {
            // The server's queue for us overflowed (5.03, Max-Age): a block was dropped there; it goes again after the
            // RTO, and the window shrinks.
            _lastArrival = now;
            _window.OnLoss(now, _time.TimestampFrequency, nothingArrived: false);
            return (false, null);
        }

        if (!_served && response.Code == CoapCode.BadOption)
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
    /// between are in; the listed ones go again unless sent less than a round trip ago (they may be on their way).
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
                Acknowledge(number, now, sample: false);
            }
        }

        var recent = _window.SmoothedRtt;
        var lostNow = false;
        foreach (var number in missing)
        {
            if (number < _count && !_acked[number] && _outstanding.ContainsKey(number) && _time.GetElapsedTime(_sentAt[number], now) >= recent)
            {
                _outstanding.Remove(number);
                _lost.Add(number);
                _retransmissions++;
                lostNow = true;
            }
        }

        if (lostNow)
        {
            _window.OnLoss(now, _time.TimestampFrequency, nothingArrived: false);
        }
    }

    private void Acknowledge(int number, long now, bool sample)
    {
        if (_acked[number])
        {
            return;
        }

        _acked[number] = true;
        _outstanding.Remove(number);
        _lost.Remove(number);
        _ackedBytes += Math.Min(_size, _payload.Length - ((long)number * _size));
        _window.OnReceived(sample && _tries[number] == 1 ? _time.GetElapsedTime(_sentAt[number], now) : null);
        _arrivedSinceLoss = true;
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

    /// <summary>Blocks sent longer than the RTO ago and not acknowledged are lost; the window shrinks.</summary>
    private void Expire()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastArrival, now) > _options.EffectiveTimeout)
        {
            throw new CoapTimeoutException($"No Q-Block1 response arrived within {_options.EffectiveTimeout.TotalSeconds:0.###} s.");
        }

        var rto = _window.Rto;
        List<int>? expired = null;
        foreach (var (number, at) in _outstanding)
        {
            if (_time.GetElapsedTime(at, now) >= rto)
            {
                (expired ??= []).Add(number);
            }
        }

        if (expired is null)
        {
            return;
        }

        foreach (var number in expired)
        {
            _outstanding.Remove(number);
            _lost.Add(number);
            _retransmissions++;
        }

        _window.OnLoss(now, _time.TimestampFrequency, !_arrivedSinceLoss);
        _arrivedSinceLoss = false;
    }

    private TimeSpan NextDeadline()
    {
        var now = _time.GetTimestamp();
        var rto = _window.Rto;
        var wait = _served ? rto : _options.EffectiveTimeout;
        foreach (var (_, at) in _outstanding)
        {
            var left = rto - _time.GetElapsedTime(at, now);
            if (left < wait)
            {
                wait = left;
            }
        }

        return wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
    }

    /// <summary>The next block to send when the window has room: a lost one first, then a new one.</summary>
    private CoapMessage? NextBlock()
    {
        if (_outstanding.Count >= _window.Size)
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

        var now = _time.GetTimestamp();
        _sentAt[number] = now;
        _tries[number]++;
        _outstanding[number] = now;
        return request;
    }

    private void Report() => _progress?.Report(new TransferProgress(_ackedBytes, _payload.Length, _retransmissions));
}

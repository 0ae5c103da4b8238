using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// The client side of Q-Block2 (RFC 9177 §4.4): after a first response in Block2 blocks (block 0 with M set and
/// Size2), block 1 is asked for with a CON Q-Block2 request (the probe: a server without Q-Block answers 4.02), then
/// the rest with NON requests listing the wanted blocks in Q-Block2 options (at most MAX_PAYLOADS per request), all
/// with one token, and the blocks arrive as NON bursts. Blocks not
/// received within the RTO count as lost and are asked for again (the missing-block recovery of §4.4); how many may
/// be outstanding is <see cref="QBlockWindow"/>'s congestion window. Payloads go to the writer in order as soon as the
/// blocks before them are in, so no more than the window (plus the blocks held up by a lost one, bounded) is buffered.
/// </summary>
/// <remarks>
/// A 4.02, an RST, no acknowledgement, or a response without Q-Block2 to the probe means the server does not support it: nothing
/// more was written and the caller goes on with RFC 7959 from the first response. A 4.01 with an Echo has the probe
/// sent again with it (<see cref="QBlockTransfer"/>); any other error response to the probe is the result. Every block must carry block 0's
/// ETag and size; another ETag means the representation changed (a <see cref="CoapRepresentationChangedException"/>). An error response
/// later ends the transfer and is returned. The transfer fails with <see cref="CoapTimeoutException"/> when no block
/// arrives for the client's timeout (NON_PARTIAL_TIMEOUT's role).
/// </remarks>
internal sealed class QBlockDownload : QBlockTransfer
{
    /// <summary>
    /// The least reordering window: a block answering a request sent this much (or a quarter of the smoothed RTT, if
    /// more) after an earlier request means the earlier one's blocks still outstanding are lost. On loopback, where
    /// the RTT is tiny, this keeps the server's workers, which may answer two requests out of order (by a scheduler
    /// slice or two on a loaded machine), from looking like loss; on any path it is still far below the least RTO.
    /// </summary>
    private static readonly TimeSpan MinReordering = TimeSpan.FromMilliseconds(10);

    private readonly CoapMessage _template;
    private readonly CoapMessage _first;
    private readonly CoapClientOptions _options;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _write;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly QBlockWindow _window;
    private readonly Dictionary<int, (QBlockAsk Ask, int Tries)> _outstanding = [];
    private readonly Queue<QBlockAsk> _asks = new();
    private readonly Stack<QBlockAsk> _spareAsks = new();
    private readonly SortedSet<int> _lost = [];
    private readonly Dictionary<int, ReadOnlyMemory<byte>> _early = [];
    private readonly Dictionary<int, int> _lostTries = [];
    private readonly ReadOnlyMemory<byte>? _etag;
    private readonly int _exponent;
    private readonly int _size;
    private readonly int _start;
    private readonly int _blocks;
    private readonly int _count;
    private readonly long _total;
    private readonly int _maxAhead;
    private int _written;
    private int _next;
    private long _bytes;
    private int _retransmissions;
    private bool _probed;
    private bool _arrivedSinceLoss;
    private long _lastArrival;
    private long _delivered;

    private QBlockDownload(CoapEndpoint endpoint, CoapMessage template, CoapMessage first, BlockValue block, long total, int until, CoapClientOptions options, TimeProvider time,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, IProgress<TransferProgress>? progress)
        : base(endpoint, time)
    {
        _template = template;
        _first = first;
        _options = options;
        _write = write;
        _progress = progress;
        _window = new QBlockWindow(options.QBlock, options.Transmission);
        _etag = first.Options.TryGet(OptionNumber.ETag, out var etag) ? etag.Value : (ReadOnlyMemory<byte>?)null;
        _exponent = block.SizeExponent;
        _size = block.Size;
        _total = total;
        _start = block.Number;
        _blocks = (int)Math.Min(BlockValue.MaxNumber + 1, (total + _size - 1) / _size);
        _count = Math.Min(_blocks, until);
        _written = _start;
        _next = _start + 1;
        _maxAhead = 4 * options.QBlock.MaxWindow;
    }

    /// <summary>Whether the rest of a transfer whose first response is <paramref name="first"/> can go by Q-Block2.</summary>
    public static bool Applies(CoapMessage request, CoapMessage first, CoapClientOptions options) =>
        options.QBlock.Enabled && options.Oscore is null && (request.Code == CoapCode.Get || request.Code == CoapCode.Fetch)
        && request.Observe is null && first.Code.IsSuccess && first.Options.Contains(OptionNumber.Size2)
        && BlockRequests.TryGetBlock(first, OptionNumber.Block2, out var block) && block.More
        && first.Payload.Length == block.Size;

    /// <summary>
    /// Fetches the blocks after <paramref name="first"/> (see <see cref="Applies"/>; block 0, or the first block of a
    /// range) up to block <paramref name="until"/> (exclusive) or the end, writing the first block's payload and then
    /// every block's in order. Returns null when the server does not support Q-Block2 (nothing written), an error
    /// response that ended the transfer, or the last block's response (its payload is the last block's).
    /// </summary>
    public static async Task<CoapMessage?> ContinueAsync(
        CoapEndpoint endpoint,
        CoapMessage template,
        CoapMessage first,
        IPEndPoint remote,
        CoapClientOptions options,
        TimeProvider time,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        IProgress<TransferProgress>? progress,
        int until,
        CancellationToken cancellationToken)
    {
        BlockRequests.TryGetBlock(first, OptionNumber.Block2, out var block);
        var total = (long)first.Options.GetUInt(OptionNumber.Size2)!.Value;
        if (total <= block.Offset + block.Size)
        {
            return null;
        }

        var download = new QBlockDownload(endpoint, template, first, block, total, until, options, time, write, progress);
        return await download.RunAsync(download.Next()!, remote, cancellationToken).ConfigureAwait(false);
    }

    protected override void Started() => _lastArrival = Time.GetTimestamp();

    /// <summary>The probe asks for its block (1, or the one after a range's first) again: its round trip starts anew.</summary>
    protected override void ProbeRepeated()
    {
        _lastArrival = Time.GetTimestamp();
        if (_outstanding.TryGetValue(_start + 1, out var asked))
        {
            asked.Ask.Restart(_lastArrival);
            _outstanding[_start + 1] = (asked.Ask, asked.Tries + 1);
        }
    }

    protected override async ValueTask<(bool Done, CoapMessage? Result)> TakeAsync(CoapMessage response, CancellationToken cancellationToken)
    {
        var first = _first;
        if (!response.Code.IsSuccess || !BlockRequests.TryGetBlock(response, OptionNumber.QBlock2, out var block))
        {
            if (response.Code == CoapCode.ServiceUnavailable)
            {
                // The server's queue for us is full (5.03, Max-Age): the blocks asked for come again after the RTO.
                _window.OnLoss(Time.GetTimestamp(), Time.TimestampFrequency, nothingArrived: false, overloaded: true);
                return (false, null);
            }

            if (Served)
            {
                return (true, response);
            }

            // The first answer decides: 4.02 (or no Q-Block2 at all) is a server without Q-Block; fall back. Any other
            // error (a 4.01 whose Echo the probe already carried, or without one) is the result: it says nothing of
            // Q-Block.
            var fallBack = response.Code == CoapCode.BadOption || response.Code.IsSuccess;
            return (true, fallBack ? null : response);
        }

        Served = true;
        var etag = response.Options.TryGet(OptionNumber.ETag, out var option) ? option.Value : (ReadOnlyMemory<byte>?)null;
        if (etag.HasValue != _etag.HasValue || (etag is { } a && !a.Span.SequenceEqual(_etag!.Value.Span)))
        {
            throw new CoapRepresentationChangedException("The representation changed during the Q-Block2 transfer (its ETag differs between blocks, RFC 9177 §4.4).");
        }

        var number = block.Number;
        var last = number == _blocks - 1;
        if (block.SizeExponent != _exponent || number >= _blocks || block.More == last
            || response.Payload.Length != (last ? (int)(_total - ((long)number * _size)) : _size))
        {
            throw new CoapException($"The server sent Q-Block2 {block} with {response.Payload.Length} bytes, which does not fit the {_total}-byte representation in {_size}-byte blocks (RFC 9177 §4.4).");
        }

        var now = Time.GetTimestamp();
        TimeSpan? rtt = null;
        var deliveredBefore = 0L;
        // Karn's rule; the probe's block (1, or the one after a range's first) went in a CON, which the message layer may have sent again.
        if (_outstanding.Remove(number, out var asked))
        {
            rtt = asked.Tries == 1 && number > _start + 1 ? Time.GetElapsedTime(asked.Ask.At, now) : null;
            deliveredBefore = asked.Ask.Delivered;
            asked.Ask.Left--;
            Skipped(asked.Ask, number, now);
        }

        _lost.Remove(number);
        if (number < _written || _early.ContainsKey(number) || number >= _next)
        {
            return (false, null); // a duplicate, or a block never asked for
        }

        _delivered++;
        if (rtt is { } once)
        {
            _window.OnDelivered((int)(_delivered - deliveredBefore), once, now, Time.TimestampFrequency);
        }

        _window.OnReceived(rtt);
        _arrivedSinceLoss = true;
        _lastArrival = now;
        if (_written == _start)
        {
            await WriteAsync(first.Payload, cancellationToken).ConfigureAwait(false);
        }

        if (number != _written)
        {
            _early[number] = response.Payload;
            return (false, null);
        }

        await WriteAsync(response.Payload, cancellationToken).ConfigureAwait(false);
        while (_early.Remove(_written, out var held))
        {
            await WriteAsync(held, cancellationToken).ConfigureAwait(false);
        }

        if (_written < _count)
        {
            return (false, null);
        }

        response.Options.Remove(OptionNumber.QBlock2);
        response.Options.Remove(OptionNumber.Size2);
        return (true, response);
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _write(payload, cancellationToken).ConfigureAwait(false);
        _written++;
        _bytes += payload.Length;
        _progress?.Report(new TransferProgress(_bytes, _total, _retransmissions));
    }

    /// <summary>
    /// What the arrival of <paramref name="number"/>, answering <paramref name="ask"/>, says is lost, so that it is asked
    /// for again at once rather than after the RTO: the blocks its request listed before it and still outstanding (the
    /// server sends a request's blocks in the order they were listed, ascending), and every block still outstanding from
    /// requests sent more than the reordering window before its own (RFC 8985's RACK: a lost request, or the lost last
    /// block of one, is found a round trip after it was sent, not an RTO later). Each listed block is looked at once
    /// (the request's cursor), each request once (they go out in order).
    /// </summary>
    private void Skipped(QBlockAsk ask, int number, long now)
    {
        var lost = false;
        while (ask.Cursor < ask.Count && ask.Blocks[ask.Cursor] <= number)
        {
            var other = ask.Blocks[ask.Cursor++];
            lost |= other < number && LoseIfOutstanding(ask, other);
        }

        if (_window.SmoothedRtt > TimeSpan.Zero)
        {
            var reordering = (long)(Math.Max(_window.SmoothedRtt.TotalSeconds / 4, MinReordering.TotalSeconds) * Time.TimestampFrequency);
            while (OldestAsk() is { } oldest && oldest.At < ask.At - reordering)
            {
                lost |= LoseOutstanding(oldest);
            }
        }

        if (lost)
        {
            _window.OnLoss(now, Time.TimestampFrequency, nothingArrived: false);
        }
    }

    /// <summary>
    /// Requests asked longer than the RTO ago have lost the blocks still outstanding: asked for again, and the window
    /// shrinks. Requests go out in order, so only the oldest ones need looking at.
    /// </summary>
    protected override void Expire()
    {
        var now = Time.GetTimestamp();
        if (Time.GetElapsedTime(_lastArrival, now) > _options.EffectiveTimeout)
        {
            throw new CoapTimeoutException($"No Q-Block2 block arrived within {_options.EffectiveTimeout.TotalSeconds:0.###} s.");
        }

        var rto = _window.Rto;
        var lost = false;
        while (OldestAsk() is { } oldest && Time.GetElapsedTime(oldest.At, now) >= rto)
        {
            lost |= LoseOutstanding(oldest);
        }

        if (lost)
        {
            _window.OnLoss(now, Time.TimestampFrequency, !_arrivedSinceLoss);
            _arrivedSinceLoss = false;
        }
    }

    /// <summary>
    /// The oldest request with blocks still outstanding; those with none left are recycled on the way. Null when no
    /// block is outstanding.
    /// </summary>
    private QBlockAsk? OldestAsk()
    {
        while (_asks.TryPeek(out var oldest))
        {
            if (oldest.Left > 0)
            {
                return oldest;
            }

            _spareAsks.Push(_asks.Dequeue());
        }

        return null;
    }

    /// <summary>Every block of <paramref name="ask"/> still outstanding is lost; false when none was.</summary>
    private bool LoseOutstanding(QBlockAsk ask)
    {
        var lost = false;
        for (var i = 0; i < ask.Count; i++)
        {
            lost |= LoseIfOutstanding(ask, ask.Blocks[i]);
        }

        return lost;
    }

    /// <summary>Block <paramref name="number"/>, when still outstanding from <paramref name="ask"/>, is lost: it goes to the blocks to ask for again.</summary>
    private bool LoseIfOutstanding(QBlockAsk ask, int number)
    {
        if (!_outstanding.TryGetValue(number, out var asked) || asked.Ask != ask)
        {
            return false;
        }

        _outstanding.Remove(number);
        ask.Left--;
        _lost.Add(number);
        _retransmissions++;
        _lostTries[number] = asked.Tries;
        return true;
    }

    /// <summary>The wait until the oldest outstanding request's RTO runs out.</summary>
    protected override TimeSpan NextDeadline()
    {
        var rto = _window.Rto;
        var wait = OldestAsk() is { } oldest ? rto - Time.GetElapsedTime(oldest.At) : rto;
        return AtLeastOneMillisecond(wait);
    }

    /// <summary>The next request when the window has room: lost blocks first, then new ones, at most MAX_PAYLOADS.</summary>
    protected override CoapMessage? Next()
    {
        var available = _lost.Count + Math.Max(0, Math.Min(_count, _written + _maxAhead) - _next);
        var full = Math.Min(_options.QBlock.MaxPayloads, available);
        // The probe asks for one block only: its answer comes piggybacked on the ACK, with no NON burst ahead of it.
        var room = _probed ? Math.Min(_window.Size - _outstanding.Count, full) : 1;
        if (room <= 0 || (room < full && _outstanding.Count > 0 && _probed))
        {
            // Whole requests of MAX_PAYLOADS blocks while others are outstanding: fewer, fuller requests.
            return null;
        }

        var ask = _spareAsks.TryPop(out var spare) ? spare : new QBlockAsk(_options.QBlock.MaxPayloads);
        ask.Reset(Time.GetTimestamp(), _delivered);
        foreach (var number in _lost)
        {
            if (ask.Count == room)
            {
                break;
            }

            ask.Add(number);
        }

        while (ask.Count < room && _next < _count && _next < _written + _maxAhead)
        {
            ask.Add(_next++);
        }

        if (ask.Count == 0)
        {
            _spareAsks.Push(ask);
            return null;
        }

        var request = BlockRequests.Derive(_template);
        // The first request is the probe, CON as libcoap's: a server without Q-Block must answer its critical option
        // with 4.02 (RFC 7252 §5.4.1), while a NON one may just be dropped (libcoap 4.3.1 does). The rest go NON.
        request.Type = _probed ? CoapMessageType.NonConfirmable : CoapMessageType.Confirmable;
        _probed = true;
        if (_template.Code == CoapCode.Fetch)
        {
            request.Payload = _template.Payload;
        }

        for (var i = 0; i < ask.Count; i++)
        {
            var number = ask.Blocks[i];
            _lost.Remove(number);
            var tries = _lostTries.Remove(number, out var before) ? before + 1 : 1;
            _outstanding[number] = (ask, tries);
            request.Options.Add(new BlockValue(number, false, _exponent).ToOption(OptionNumber.QBlock2));
        }

        ask.Left = ask.Count;
        _asks.Enqueue(ask);
        return request;
    }
}

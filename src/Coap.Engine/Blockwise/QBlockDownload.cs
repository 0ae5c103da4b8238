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
    private readonly CoapMessage _template;
    private readonly CoapMessage _first;
    private readonly CoapClientOptions _options;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _write;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly QBlockWindow _window;
    private readonly Dictionary<int, (long At, int Tries)> _outstanding = [];
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

    /// <summary>The probe asks for block 1 again: its round trip starts anew.</summary>
    protected override void ProbeRepeated()
    {
        _lastArrival = Time.GetTimestamp();
        if (_outstanding.TryGetValue(1, out var asked))
        {
            _outstanding[1] = (_lastArrival, asked.Tries + 1);
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
                _window.OnLoss(Time.GetTimestamp(), Time.TimestampFrequency, nothingArrived: false);
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
        // Karn's rule; block 1 went in the CON probe, which the message layer may have sent again.
        if (_outstanding.Remove(number, out var asked))
        {
            rtt = asked.Tries == 1 && number > 1 ? Time.GetElapsedTime(asked.At, now) : null;
            Skipped(number, asked.At, now);
        }

        _lost.Remove(number);
        if (number < _written || _early.ContainsKey(number) || number >= _next)
        {
            return (false, null); // a duplicate, or a block never asked for
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
    /// The server sends the blocks of one request in the order they were listed (ascending): those of the request that
    /// <paramref name="number"/> came in answer to and listed before it, still outstanding, are lost; they are asked
    /// for again at once rather than after the RTO.
    /// </summary>
    private void Skipped(int number, long askedAt, long now) =>
        Lose((other, asked) => asked.At == askedAt && other < number, now, nothingArrived: false);

    /// <summary>Blocks asked for longer than the RTO ago are lost: asked for again, and the window shrinks.</summary>
    protected override void Expire()
    {
        var now = Time.GetTimestamp();
        if (Time.GetElapsedTime(_lastArrival, now) > _options.EffectiveTimeout)
        {
            throw new CoapTimeoutException($"No Q-Block2 block arrived within {_options.EffectiveTimeout.TotalSeconds:0.###} s.");
        }

        var rto = _window.Rto;
        if (Lose((_, asked) => Time.GetElapsedTime(asked.At, now) >= rto, now, !_arrivedSinceLoss))
        {
            _arrivedSinceLoss = false;
        }
    }

    /// <summary>The outstanding blocks that <paramref name="lost"/> picks are asked for again, and the window shrinks; false when none.</summary>
    private bool Lose(Func<int, (long At, int Tries), bool> lost, long now, bool nothingArrived)
    {
        List<int>? picked = null;
        foreach (var (number, asked) in _outstanding)
        {
            if (lost(number, asked))
            {
                (picked ??= []).Add(number);
            }
        }

        if (picked is null)
        {
            return false;
        }

        foreach (var number in picked)
        {
            _outstanding.Remove(number, out var asked);
            _lost.Add(number);
            _retransmissions++;
            _lostTries[number] = asked.Tries;
        }

        _window.OnLoss(now, Time.TimestampFrequency, nothingArrived);
        return true;
    }

    /// <summary>The wait until the oldest outstanding block's RTO runs out.</summary>
    protected override TimeSpan NextDeadline()
    {
        var now = Time.GetTimestamp();
        var rto = _window.Rto;
        var wait = rto;
        foreach (var (_, asked) in _outstanding)
        {
            var left = rto - Time.GetElapsedTime(asked.At, now);
            if (left < wait)
            {
                wait = left;
            }
        }

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

        List<int>? wanted = null;
        foreach (var number in _lost)
        {
            if (wanted is { } listed && listed.Count == room)
            {
                break;
            }

            (wanted ??= []).Add(number);
        }

        while ((wanted?.Count ?? 0) < room && _next < _count && _next < _written + _maxAhead)
        {
            (wanted ??= []).Add(_next++);
        }

        if (wanted is null)
        {
            return null;
        }

        var now = Time.GetTimestamp();
        var request = BlockRequests.Derive(_template);
        // The first request is the probe, CON as libcoap's: a server without Q-Block must answer its critical option
        // with 4.02 (RFC 7252 §5.4.1), while a NON one may just be dropped (libcoap 4.3.1 does). The rest go NON.
        request.Type = _probed ? CoapMessageType.NonConfirmable : CoapMessageType.Confirmable;
        _probed = true;
        if (_template.Code == CoapCode.Fetch)
        {
            request.Payload = _template.Payload;
        }

        foreach (var number in wanted)
        {
            _lost.Remove(number);
            var tries = _lostTries.Remove(number, out var before) ? before + 1 : 1;
            _outstanding[number] = (now, tries);
            request.Options.Add(new BlockValue(number, false, _exponent).ToOption(OptionNumber.QBlock2));
        }

        return request;
    }
}

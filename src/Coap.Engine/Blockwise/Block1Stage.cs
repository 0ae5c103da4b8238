using System.Text;
using Coap.Engine.Hosting;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Assembles Block1 uploads (RFC 7959 §2.5): each non-final block is answered 2.31 Continue with its Block1 echoed,
/// the body goes to the next stage only after the last block, as a request without Block1 and Size1, and the
/// response to it carries Block1 NUM/0/SZX. Resources implementing <see cref="ICoapUploadResource"/> get the blocks
/// streamed to a sink instead (<see cref="Block1Stage"/>'s streaming partial).
/// </summary>
/// <remarks>
/// Blocks belong together by <see cref="UploadKey"/>. The echoed SZX is the client's, reduced to
/// Coap:MaxBlockSize when larger (§2.3); the client then continues at the same byte offset, so progress is kept
/// in bytes. Before any block is buffered or streamed the resource may refuse the request whatever its body
/// (<see cref="ICoapResource.RefuseBeforeBody"/>: 4.05 for a method it lacks, 4.04 for a missing target). A block not
/// starting where the upload stands (a gap, a repeat, no block 0) is 4.08 and ends the upload; a non-final block whose
/// length is not its SZX is 4.00; a body beyond the limit, announced by Size1 or reached, is 4.13 with Size1 = the
/// limit (§2.9.3, §4): Coap:MaxBodySize, and for an assembled body also the peer's share of memory. An upload without a
/// block for EXCHANGE_LIFETIME is dropped. The limits on what unfinished uploads hold are in the quota partial.
/// </remarks>
internal sealed partial class Block1Stage : IServerStage
{
    private readonly IServerStage _next;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _lifetime;
    private readonly int _maxExponent;
    private readonly long _maxBody;
    private readonly long _maxAssembled;
    private readonly bool _qblock;
    private readonly int _maxPayloads;
    private readonly object _gate = new();
    private readonly Dictionary<UploadKey, PendingUpload> _uploads = [];

    public Block1Stage(CoapEndpointOptions options, TimeProvider time, ILogger logger, IServerStage next)
    {
        _next = next;
        _time = time;
        _logger = logger;
        _lifetime = options.Transmission.ExchangeLifetime;
        _maxExponent = BlockValue.ExponentFor(options.MaxBlockSize);
        _maxBody = options.MaxBodySize;
        _maxAssembled = Math.Min(options.MaxBodySize, options.MaxPendingUploadBytesPerPeer);
        _maxPending = options.MaxPendingUploadBytes;
        _maxPendingPerPeer = options.MaxPendingUploadBytesPerPeer;
        _maxOpen = options.MaxOpenUploads;
        _maxOpenPerPeer = options.MaxOpenUploadsPerPeer;
        _qblock = options.QBlock.Enabled;
        _maxPayloads = options.QBlock.MaxPayloads;
    }

    public ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context)
    {
        var request = context.Request;
        if (request.Options.Contains(OptionNumber.QBlock1))
        {
            return QBlock1Async(context);
        }

        var announced = request.Options.GetUInt(OptionNumber.Size1);
        if (!request.Options.TryGet(OptionNumber.Block1, out var option))
        {
            return announced > _maxBody ? Done(TooLarge(_maxBody)) : _next.InvokeAsync(context);
        }

        if (!BlockValue.TryDecode(option.Value.Span, out var block))
        {
            return Done(ReservedBlockSize.Answer(OptionNumber.Block1));
        }

        var length = request.Payload.Length;
        if (block.More ? length != block.Size : length > block.Size)
        {
            return Done(Diagnostic(CoapCode.BadRequest, $"Block1 {block} carries {length} bytes"));
        }

        var key = UploadKey.From(context.Peer, request);
        var resource = context.Entry.Resource;
        if (resource.RefuseBeforeBody(context) is { } refused)
        {
            Forget(key, null);
            return Done(refused);
        }

        var streaming = resource as ICoapUploadResource;
        var limit = streaming is null ? _maxAssembled : _maxBody;
        if ((block.Number == 0 && announced > limit) || block.Offset + length > limit)
        {
            Forget(key, null);
            return Done(TooLarge(limit));
        }

        var echo = new BlockValue(block.Number, block.More, Math.Min(block.SizeExponent, _maxExponent));
        return streaming is not null
            ? StreamAsync(context, streaming, key, block, echo)
            : Assemble(context, key, block, echo);
    }

    private ValueTask<CoapMessage> Assemble(CoapRequestContext context, UploadKey key, BlockValue block, BlockValue echo)
    {
        var answer = Take(key, block, echo, context.Request.Payload, out var body);
        return answer is not null ? Done(answer) : Finish(context, body, echo);
    }

    /// <summary>
    /// Adds a buffered block to its upload: the answer when the upload goes on or ends in error (2.31, 4.08, 5.03), or
    /// null with the whole <paramref name="body"/> when this was its last block.
    /// </summary>
    private CoapMessage? Take(UploadKey key, BlockValue block, BlockValue echo, ReadOnlyMemory<byte> payload, out ReadOnlyMemory<byte> body)
    {
        PendingUpload? dropped = null;
        PendingUpload? finished = null;
        CoapMessage? answer = null;
        lock (_gate)
        {
            _uploads.TryGetValue(key, out var upload);
            if (upload is not null && (block.Number == 0 || upload.Received != block.Offset))
            {
                RemoveLocked(upload);
                dropped = upload;
                upload = null;
            }

            if (block.Number != 0 && upload is null)
            {
                answer = Incomplete(block, dropped);
            }
            else if (!block.More)
            {
                if (upload is not null)
                {
                    RemoveLocked(upload);
                    upload.Append(payload.Span, upload.GrowthFor(payload.Length, _maxAssembled, exact: true));
                    finished = upload;
                }
            }
            else
            {
                answer = AcceptLocked(upload ?? new PendingUpload(key), payload.Span, echo);
            }
        }

        if (dropped?.Sink is { } sink)
        {
            Abort(sink);
        }

        body = finished?.Body ?? payload;
        return answer;
    }

    /// <summary>Buffers a non-final block within the memory bounds; 2.31 Continue or 5.03.</summary>
    private CoapMessage AcceptLocked(PendingUpload upload, ReadOnlySpan<byte> payload, BlockValue echo)
    {
        var peer = upload.Key.Peer;
        var growth = upload.GrowthFor(payload.Length, _maxAssembled, exact: false);
        if (!FitsLocked(peer, growth, file: false))
        {
            growth = upload.GrowthFor(payload.Length, _maxAssembled, exact: true);
            if (!FitsLocked(peer, growth, file: false))
            {
                return Busy();
            }
        }

        if (upload.Expiry is null)
        {
            AddLocked(upload);
        }

        upload.Append(payload, growth);
        ChargeLocked(upload, growth, file: false);
        upload.Expiry!.Change(_lifetime, Timeout.InfiniteTimeSpan);
        return Continue(echo);
    }

    /// <summary>Hands the whole body on as a request without Block1 and Size1; the response carries Block1.</summary>
    private ValueTask<CoapMessage> Finish(CoapRequestContext context, ReadOnlyMemory<byte> body, BlockValue echo)
    {
        var pending = _next.InvokeAsync(context.WithRequest(Whole(context.Request, body)));
        return pending.IsCompletedSuccessfully ? Done(WithBlock1(pending.Result, echo)) : FinishAsync(pending, echo);
    }

    /// <summary>The request with the whole body and without Block1 and Size1.</summary>
    private static CoapMessage Whole(CoapMessage request, ReadOnlyMemory<byte> body)
    {
        var assembled = new CoapMessage(new CoapOptionList(request.Options.Count))
        {
            Type = request.Type,
            Code = request.Code,
            MessageId = request.MessageId,
            Token = request.Token,
            Payload = body,
        };
        foreach (var option in request.Options)
        {
            if (option.Number is not OptionNumber.Block1 and not OptionNumber.Size1)
            {
                assembled.Options.Add(option);
            }
        }

        return assembled;
    }

    private static async ValueTask<CoapMessage> FinishAsync(ValueTask<CoapMessage> pending, BlockValue echo) =>
        WithBlock1(await pending.ConfigureAwait(false), echo);

    private void AddLocked(PendingUpload upload)
    {
        upload.Expiry = _time.CreateTimer(_logger, "expiring an unfinished Block1 upload", () => Expire(upload), _lifetime, Timeout.InfiniteTimeSpan);
        _uploads.Add(upload.Key, upload);
    }

    /// <summary>Takes the upload out of the table and gives back what it counted against the limits.</summary>
    private void RemoveLocked(PendingUpload upload)
    {
        UnlistLocked(upload);
        ReleaseLocked(upload);
    }

    /// <summary>Takes the upload out of the table; what it counts against the limits stays until released.</summary>
    private void UnlistLocked(PendingUpload upload)
    {
        _uploads.Remove(upload.Key);
        upload.Expiry?.Dispose();
    }

    /// <summary>Abandons an upload that got no block for EXCHANGE_LIFETIME.</summary>
    private void Expire(PendingUpload upload) => Forget(upload.Key, upload);

    /// <summary>Drops the upload under <paramref name="key"/> (only if it is <paramref name="only"/>, when given) and aborts its sink.</summary>
    private void Forget(UploadKey key, PendingUpload? only)
    {
        PendingUpload? upload;
        lock (_gate)
        {
            if (!_uploads.TryGetValue(key, out upload) || (only is not null && !ReferenceEquals(upload, only)))
            {
                return;
            }

            RemoveLocked(upload);
        }

        if (upload.Sink is { } sink)
        {
            Abort(sink);
        }
    }

    private static CoapMessage TooLarge(long limit)
    {
        var response = Diagnostic(CoapCode.RequestEntityTooLarge, $"the body may be at most {limit} bytes");
        response.Options.Add(CoapOption.FromUInt(OptionNumber.Size1, (uint)Math.Min(limit, uint.MaxValue)));
        return response;
    }

    private static CoapMessage Incomplete(BlockValue block, PendingUpload? upload) =>
        Diagnostic(CoapCode.RequestEntityIncomplete, upload is null
            ? $"Block1 {block} belongs to no upload in progress"
            : $"Block1 {block} starts at byte {block.Offset}, the upload stood at {upload.Received}");

    private static CoapMessage Continue(BlockValue echo)
    {
        var response = CoapMessage.CreateResponse(CoapCode.Continue);
        response.Options.Add(echo.ToOption(OptionNumber.Block1));
        return response;
    }

    private static CoapMessage WithBlock1(CoapMessage response, BlockValue echo)
    {
        response.Options.Set(new BlockValue(echo.Number, false, echo.SizeExponent).ToOption(OptionNumber.Block1));
        return response;
    }

    private static CoapMessage Diagnostic(CoapCode code, string text) => CoapMessage.CreateResponse(code, Encoding.UTF8.GetBytes(text));

    private static ValueTask<CoapMessage> Done(CoapMessage response) => ValueTask.FromResult(response);
}

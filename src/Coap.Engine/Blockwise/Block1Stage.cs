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
/// in bytes. A block not starting where the upload stands (a gap, a repeat, no block 0) is 4.08 and ends the
/// upload; a non-final block whose length is not its SZX is 4.00; a body beyond Coap:MaxBodySize, announced by Size1
/// or reached, is 4.13 with Size1 = the limit (§2.9.3, §4). An upload without a block for EXCHANGE_LIFETIME is
/// dropped. Buffers count against Coap:MaxPendingUploadBytes by capacity; a block that would exceed it is refused
/// with 5.03 and Max-Age <see cref="RetryAfterSeconds"/> (RFC 7252 §5.9.3.4), keeping the upload so the client can
/// send the same block again once space frees up: refusing a newcomer beats evicting a nearly finished upload.
/// </remarks>
internal sealed partial class Block1Stage : IServerStage
{
    /// <summary>Max-Age of the 5.03 answered when pending uploads hold Coap:MaxPendingUploadBytes.</summary>
    internal const uint RetryAfterSeconds = 10;

    private readonly IServerStage _next;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _lifetime;
    private readonly int _maxExponent;
    private readonly long _maxBody;
    private readonly long _maxPending;
    private readonly object _gate = new();
    private readonly Dictionary<UploadKey, PendingUpload> _uploads = [];
    private long _pendingBytes;

    public Block1Stage(CoapEndpointOptions options, TimeProvider time, ILogger logger, IServerStage next)
    {
        _next = next;
        _time = time;
        _logger = logger;
        _lifetime = options.Transmission.ExchangeLifetime;
        _maxExponent = BlockValue.ExponentFor(options.MaxBlockSize);
        _maxBody = options.MaxBodySize;
        _maxPending = options.MaxPendingUploadBytes;
    }

    /// <summary>The bytes held by unfinished uploads.</summary>
    internal long PendingBytes
    {
        get
        {
            lock (_gate)
            {
                return _pendingBytes;
            }
        }
    }

    /// <summary>The unfinished uploads.</summary>
    internal int PendingUploads
    {
        get
        {
            lock (_gate)
            {
                return _uploads.Count;
            }
        }
    }

    public ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context)
    {
        var request = context.Request;
        var announced = request.Options.GetUInt(OptionNumber.Size1);
        if (!request.Options.TryGet(OptionNumber.Block1, out var option))
        {
            return announced > _maxBody ? Done(TooLarge()) : _next.InvokeAsync(context);
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
        if ((block.Number == 0 && announced > _maxBody) || block.Offset + length > _maxBody)
        {
            Forget(key, null);
            return Done(TooLarge());
        }

        var echo = new BlockValue(block.Number, block.More, Math.Min(block.SizeExponent, _maxExponent));
        return context.Entry.Resource is ICoapUploadResource streaming
            ? StreamAsync(context, streaming, key, block, echo)
            : Assemble(context, key, block, echo);
    }

    private ValueTask<CoapMessage> Assemble(CoapRequestContext context, UploadKey key, BlockValue block, BlockValue echo)
    {
        var payload = context.Request.Payload.Span;
        PendingUpload? dropped = null;
        PendingUpload? finished = null;
        CoapMessage answer;
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
                    upload.Append(payload, upload.GrowthFor(payload.Length, _maxBody, exact: true));
                    finished = upload;
                }

                answer = null!;
            }
            else
            {
                answer = AcceptLocked(upload ?? new PendingUpload(key, null), payload, echo);
            }
        }

        if (dropped?.Sink is { } sink)
        {
            Abort(sink);
        }

        if (answer is not null)
        {
            return Done(answer);
        }

        var body = finished?.Body ?? context.Request.Payload;
        return Finish(context, body, echo);
    }

    /// <summary>Buffers a non-final block within the memory bound; 2.31 Continue or 5.03.</summary>
    private CoapMessage AcceptLocked(PendingUpload upload, ReadOnlySpan<byte> payload, BlockValue echo)
    {
        var growth = upload.GrowthFor(payload.Length, _maxBody, exact: false);
        if (_pendingBytes + growth > _maxPending)
        {
            growth = upload.GrowthFor(payload.Length, _maxBody, exact: true);
            if (_pendingBytes + growth > _maxPending)
            {
                var refusal = Diagnostic(CoapCode.ServiceUnavailable, "too many unfinished uploads; retry later");
                refusal.MaxAge = RetryAfterSeconds;
                return refusal;
            }
        }

        if (upload.Expiry is null)
        {
            AddLocked(upload);
        }

        upload.Append(payload, growth);
        _pendingBytes += growth;
        upload.Expiry!.Change(_lifetime, Timeout.InfiniteTimeSpan);
        return Continue(echo);
    }

    /// <summary>Hands the whole body on as a request without Block1 and Size1; the response carries Block1.</summary>
    private ValueTask<CoapMessage> Finish(CoapRequestContext context, ReadOnlyMemory<byte> body, BlockValue echo)
    {
        var request = context.Request;
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

        var pending = _next.InvokeAsync(context.WithRequest(assembled));
        return pending.IsCompletedSuccessfully ? Done(WithBlock1(pending.Result, echo)) : FinishAsync(pending, echo);
    }

    private static async ValueTask<CoapMessage> FinishAsync(ValueTask<CoapMessage> pending, BlockValue echo) =>
        WithBlock1(await pending.ConfigureAwait(false), echo);

    private void AddLocked(PendingUpload upload)
    {
        upload.Expiry = _time.CreateTimer(_logger, "expiring an unfinished Block1 upload", () => Expire(upload), _lifetime, Timeout.InfiniteTimeSpan);
        _uploads.Add(upload.Key, upload);
    }

    private void RemoveLocked(PendingUpload upload)
    {
        _uploads.Remove(upload.Key);
        _pendingBytes -= upload.Capacity;
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

    private CoapMessage TooLarge()
    {
        var response = Diagnostic(CoapCode.RequestEntityTooLarge, $"the body may be at most {_maxBody} bytes");
        response.Options.Add(CoapOption.FromUInt(OptionNumber.Size1, (uint)Math.Min(_maxBody, uint.MaxValue)));
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

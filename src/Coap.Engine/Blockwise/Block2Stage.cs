using System.Text;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Sends large responses in blocks (RFC 7959 §2.4): a 2.xx response with a payload larger than the negotiated
/// block size goes out one block per request, each with the representation's ETag, block 0 with Size2.
/// </summary>
/// <remarks>
/// The block size is the smaller of the request's Block2 SZX (early negotiation, §2.4) and Coap:MaxBlockSize; a
/// larger requested size keeps its byte offset. A request's Block2 for a representation that fits one block is
/// answered whole with Block2 0/0/size, as libcoap does. NUM beyond the end is 4.02 (see
/// <see cref="BlockwiseResponse.BeyondEnd"/>). Resources with <see cref="ResourceMetadata.ServesBlocks"/> are passed
/// through untouched. The whole response to an unsafe method (POST, PUT, PATCH, iPATCH) is kept for
/// EXCHANGE_LIFETIME so that the follow-up Block2 requests of a combined Block1/Block2 exchange (§3.3) are served
/// from it instead of running the handler again.
/// </remarks>
internal sealed class Block2Stage : IServerStage
{
    private readonly IServerStage _next;
    private readonly int _maxExponent;
    private readonly ResponseCache<UploadKey> _cache;

    public Block2Stage(CoapEndpointOptions options, TimeProvider time, IServerStage next)
    {
        _next = next;
        _maxExponent = BlockValue.ExponentFor(options.MaxBlockSize);
        _cache = new ResponseCache<UploadKey>(time, options.Transmission.ExchangeLifetime);
    }

    public ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context)
    {
        var request = context.Request;
        BlockValue? requested = null;
        if (request.Options.TryGet(OptionNumber.Block2, out var option))
        {
            if (!BlockValue.TryDecode(option.Value.Span, out var value))
            {
                return ValueTask.FromResult(ReservedBlockSize.Answer(OptionNumber.Block2));
            }

            requested = value;
        }

        if (context.Metadata.ServesBlocks)
        {
            return _next.InvokeAsync(context);
        }

        var unsafeMethod = IsUnsafe(request.Code);
        if (unsafeMethod && requested is { Number: > 0 } && request.Payload.IsEmpty && !request.Options.Contains(OptionNumber.Block1)
            && _cache.TryGet(UploadKey.From(context.Peer, request), out var cached))
        {
            return ValueTask.FromResult(Apply(cached, requested, request));
        }

        var pending = _next.InvokeAsync(context);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(Complete(context, pending.Result, requested, unsafeMethod))
            : AwaitAsync(context, pending, requested, unsafeMethod);
    }

    private async ValueTask<CoapMessage> AwaitAsync(CoapRequestContext context, ValueTask<CoapMessage> pending, BlockValue? requested, bool unsafeMethod) =>
        Complete(context, await pending.ConfigureAwait(false), requested, unsafeMethod);

    private CoapMessage Complete(CoapRequestContext context, CoapMessage response, BlockValue? requested, bool unsafeMethod)
    {
        var sliced = Apply(response, requested, context.Request);
        if (unsafeMethod && !ReferenceEquals(sliced, response) && sliced.Options.TryGet(OptionNumber.Block2, out var option)
            && BlockValue.TryDecode(option.Value.Span, out var block) && block.More)
        {
            _cache.Add(UploadKey.From(context.Peer, context.Request), response);
        }

        return sliced;
    }

    private CoapMessage Apply(CoapMessage response, BlockValue? requested, CoapMessage request)
    {
        if (!response.Code.IsSuccess || response.Payload.IsEmpty || response.Options.Contains(OptionNumber.Block2))
        {
            return response;
        }

        var block = requested is { } r ? BlockwiseResponse.Negotiate(r, _maxExponent) : new BlockValue(0, false, _maxExponent);
        if (requested is null && response.Payload.Length <= block.Size)
        {
            return response;
        }

        return BlockSlicer.Slice(response, block, request.Options.Contains(OptionNumber.Size2));
    }

    private static bool IsUnsafe(CoapCode method) =>
        method == CoapCode.Post || method == CoapCode.Put || method == CoapCode.Patch || method == CoapCode.IPatch;
}

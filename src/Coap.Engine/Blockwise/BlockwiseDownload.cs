using System.Buffers;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// The client side of a Block2 transfer (RFC 7959 §2.4, §3.1): after a first response with Block2 M=1, fetches
/// the following blocks with the same request options and concatenates them. The client follows a server that
/// picks a smaller block size; a representation that changes mid-transfer (another ETag) restarts the download
/// from block 0 once, and a second change fails with a <see cref="CoapRepresentationChangedException"/>.
/// </summary>
internal sealed class BlockwiseDownload
{
    private readonly CoapMessage _template;
    private readonly Func<CoapMessage, CancellationToken, Task<CoapMessage>> _send;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly ArrayBufferWriter<byte> _body = new();
    private int _sizeExponent;
    private long? _total;

    private BlockwiseDownload(CoapMessage template, int sizeExponent, Func<CoapMessage, CancellationToken, Task<CoapMessage>> send, IProgress<TransferProgress>? progress)
    {
        _template = template;
        _sizeExponent = sizeExponent;
        _send = send;
        _progress = progress;
    }

    /// <summary>
    /// The whole representation for a request whose first response is <paramref name="first"/>. A response
    /// without Block2 comes back as it is; otherwise the result is the last block's response with the
    /// concatenated payload and without Block2 and Size2, so callers never see block-wise artefacts. An error
    /// response to a later block is returned as it is.
    /// </summary>
    public static Task<CoapMessage> CompleteAsync(
        CoapMessage template,
        CoapMessage first,
        int blockSize,
        Func<CoapMessage, CancellationToken, Task<CoapMessage>> send,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (!first.Code.IsSuccess || !BlockRequests.TryGetBlock(first, OptionNumber.Block2, out _))
        {
            return Task.FromResult(first);
        }

        return new BlockwiseDownload(template, BlockValue.ExponentFor(blockSize), send, progress).RunAsync(first, cancellationToken);
    }

    private async Task<CoapMessage> RunAsync(CoapMessage response, CancellationToken cancellationToken)
    {
        var etag = ETagOf(response);
        var restarted = false;
        while (true)
        {
            BlockRequests.TryGetBlock(response, OptionNumber.Block2, out var block);
            if (!SameETag(etag, response))
            {
                if (restarted)
                {
                    throw new CoapRepresentationChangedException("The representation changed twice during the block-wise transfer (RFC 7959 §2.4: its ETag differs between blocks).");
                }

                restarted = true;
                etag = ETagOf(response);
                _body.ResetWrittenCount();
            }
            else
            {
                Append(response, block);
                if (!block.More)
                {
                    return Assemble(response);
                }
            }

            var request = BlockRequests.Derive(_template);
            if (_template.Code == CoapCode.Fetch)
            {
                // A FETCH body is part of the request's identity (RFC 8132 §2): every block asks with the same body.
                request.Payload = _template.Payload;
            }

            var size = 1 << (_sizeExponent + 4);
            BlockRequests.SetBlock(request, OptionNumber.Block2, new BlockValue((int)(_body.WrittenCount / size), false, _sizeExponent));
            response = await _send(request, cancellationToken).ConfigureAwait(false);
            if (!response.Code.IsSuccess)
            {
                return response;
            }

            if (!BlockRequests.TryGetBlock(response, OptionNumber.Block2, out _))
            {
                throw new CoapException($"The server answered a request for block {request.Options.GetUInt(OptionNumber.Block2) >> 4} without a Block2 option (RFC 7959 §2.4).");
            }
        }
    }

    private void Append(CoapMessage response, BlockValue block)
    {
        if (block.Offset != _body.WrittenCount)
        {
            throw new CoapException($"The server sent block {block} at offset {block.Offset} where {_body.WrittenCount} was expected (RFC 7959 §2.4).");
        }

        if (block.More && response.Payload.Length != block.Size)
        {
            throw new CoapException($"Block {block} carries {response.Payload.Length} bytes; a block before the last carries exactly its size (RFC 7959 §2.2).");
        }

        // Follow the server's block size when it is smaller than ours (RFC 7959 §2.4); never grow again, so that
        // every later offset stays a multiple of the size in use.
        _sizeExponent = Math.Min(_sizeExponent, block.SizeExponent);
        _body.Write(response.Payload.Span);
        if (response.Options.GetUInt(OptionNumber.Size2) is { } size2)
        {
            _total = size2;
        }

        _progress?.Report(new TransferProgress(_body.WrittenCount, block.More ? _total : _body.WrittenCount));
    }

    private CoapMessage Assemble(CoapMessage last)
    {
        var whole = new CoapMessage(new CoapOptionList(last.Options.Count))
        {
            Type = last.Type,
            Code = last.Code,
            MessageId = last.MessageId,
            Token = last.Token,
            Payload = _body.WrittenMemory,
        };
        foreach (var option in last.Options)
        {
            if (option.Number is not (OptionNumber.Block2 or OptionNumber.Size2))
            {
                whole.Options.Add(option);
            }
        }

        return whole;
    }

    private static ReadOnlyMemory<byte>? ETagOf(CoapMessage response) =>
        response.Options.TryGet(OptionNumber.ETag, out var option) ? option.Value : null;

    private static bool SameETag(ReadOnlyMemory<byte>? etag, CoapMessage response)
    {
        var current = ETagOf(response);
        return etag is { } a ? current is { } b && a.Span.SequenceEqual(b.Span) : current is null;
    }
}

using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// The client side of a Block1 transfer (RFC 7959 §2.5, §3.2): the payload goes out in blocks, each but the last
/// answered by 2.31 Continue. The first block carries Size1 (RFC 7959 §4). When the server's 2.31 names a smaller
/// block size, the upload continues at the same byte offset with that size (RFC 7959 §2.3). Any other answer
/// to a block before the last (an error such as 4.08 or 4.13, or a final success) ends the upload and is returned.
/// </summary>
internal static class BlockwiseUpload
{
    /// <summary>Uploads the request's payload in blocks; returns the response to the last block sent.</summary>
    public static async Task<CoapMessage> RunAsync(
        CoapMessage request,
        int blockSize,
        Func<CoapMessage, CancellationToken, Task<CoapMessage>> send,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        var payload = request.Payload;
        var sizeExponent = BlockValue.ExponentFor(blockSize);
        var offset = 0;
        while (true)
        {
            var size = 1 << (sizeExponent + 4);
            var length = Math.Min(size, payload.Length - offset);
            var more = offset + length < payload.Length;
            var block = BlockRequests.Derive(request);
            block.Payload = payload.Slice(offset, length);
            BlockRequests.SetBlock(block, OptionNumber.Block1, new BlockValue(offset / size, more, sizeExponent));
            if (offset == 0)
            {
                block.Options.SetUInt(OptionNumber.Size1, (uint)payload.Length);
            }

            if (!more && blockSize < 1024)
            {
                // Early negotiation for the response's blocks travels with the last request block (RFC 7959 §3.3).
                BlockRequests.SetBlock(block, OptionNumber.Block2, new BlockValue(0, false, BlockValue.ExponentFor(blockSize)));
            }

            var response = await send(block, cancellationToken).ConfigureAwait(false);
            if (!more || response.Code != CoapCode.Continue)
            {
                if (!more)
                {
                    progress?.Report(new TransferProgress(payload.Length, payload.Length));
                }

                return response;
            }

            offset += length;
            progress?.Report(new TransferProgress(offset, payload.Length));
            if (BlockRequests.TryGetBlock(response, OptionNumber.Block1, out var acknowledged) && acknowledged.SizeExponent < sizeExponent)
            {
                sizeExponent = acknowledged.SizeExponent;
            }
        }
    }
}

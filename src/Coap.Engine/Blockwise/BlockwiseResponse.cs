using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Blockwise;

/// <summary>
/// For resources that serve Block2 themselves (<see cref="ResourceMetadata.ServesBlocks"/>), for instance from a
/// file offset without reading the whole file: which block the request asks for, and the response for that block.
/// </summary>
public static class BlockwiseResponse
{
    /// <summary>
    /// The block the request asks for with the server's largest block size (Coap:MaxBlockSize) applied: block 0
    /// when the request has no Block2; a larger requested size is reduced to the server's and NUM recomputed so the
    /// byte offset stays the same (RFC 7959 §2.4).
    /// </summary>
    public static BlockValue RequestedBlock(CoapRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var maxExponent = BlockValue.ExponentFor(context.MaxBlockSize);
        if (!context.Request.Options.TryGet(OptionNumber.Block2, out var option) || !BlockValue.TryDecode(option.Value.Span, out var requested))
        {
            return new BlockValue(0, false, maxExponent);
        }

        return Negotiate(requested, maxExponent);
    }

    /// <summary>
    /// The response carrying one block of a representation of <paramref name="totalLength"/> bytes: Block2 with M set
    /// when bytes follow, Size2 on block 0 (RFC 7959 §2.2, §4). The caller adds its ETag, which should be the same on
    /// every block (RFC 7959 §2.4). A block starting at or beyond the end is answered 4.02 Bad Option.
    /// </summary>
    /// <param name="code">A 2.xx code.</param>
    /// <param name="block">The block's bytes: <c>min(requested.Size, totalLength - requested.Offset)</c> of them.</param>
    /// <param name="requested">The block from <see cref="RequestedBlock"/>.</param>
    /// <param name="totalLength">The length of the whole representation.</param>
    /// <param name="contentFormat">The representation's Content-Format.</param>
    public static CoapMessage Create(CoapCode code, ReadOnlyMemory<byte> block, BlockValue requested, long totalLength, int? contentFormat = null)
    {
        if (IsBeyondEnd(requested, totalLength))
        {
            return BeyondEnd(requested, totalLength);
        }

        var response = CoapMessage.CreateResponse(code, block, contentFormat);
        var more = requested.Offset + block.Length < totalLength;
        response.Options.Add(new BlockValue(requested.Number, more, requested.SizeExponent).ToOption(OptionNumber.Block2));
        if (requested.Number == 0)
        {
            response.Options.Add(CoapOption.FromUInt(OptionNumber.Size2, (uint)Math.Min(totalLength, uint.MaxValue)));
        }

        return response;
    }

    /// <summary>The requested block reduced to at most 2^(maxExponent+4) bytes at the same byte offset.</summary>
    internal static BlockValue Negotiate(BlockValue requested, int maxExponent)
    {
        if (requested.SizeExponent <= maxExponent)
        {
            return new BlockValue(requested.Number, false, requested.SizeExponent);
        }

        var number = requested.Offset >> (maxExponent + 4);
        return new BlockValue((int)Math.Min(number, BlockValue.MaxNumber), false, maxExponent);
    }

    /// <summary>
    /// True when the block starts at or after the end. RFC 7959 does not say how to answer such a request; block 0 of
    /// an empty representation is not beyond the end.
    /// </summary>
    internal static bool IsBeyondEnd(BlockValue requested, long totalLength) =>
        requested.Number > 0 && requested.Offset >= totalLength;

    /// <summary>
    /// 4.02 Bad Option with a diagnostic naming the block and the length. RFC 7959 leaves the out-of-range block
    /// open and libcoap 4.3.1 answers 4.00 Bad Request; we answer 4.02 because it is the critical Block2 option's value
    /// that cannot be honoured (RFC 7252 §5.9.2.3). Either way the client sees a 4.xx and stops.
    /// </summary>
    internal static CoapMessage BeyondEnd(BlockValue requested, long totalLength) =>
        CoapMessage.CreateResponse(CoapCode.BadOption, Encoding.UTF8.GetBytes($"Block2 {requested} starts beyond the end of the {totalLength}-byte representation"));
}

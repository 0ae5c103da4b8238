using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>Cuts one block out of a whole response (RFC 7959 §2.4).</summary>
internal static class BlockSlicer
{
    /// <summary>
    /// The block of <paramref name="full"/> at <paramref name="block"/>'s offset: the response's options without its
    /// Block2 and Size2, an ETag (the resource's, else <see cref="EntityTag"/>), Block2 with M set when bytes follow,
    /// and Size2 on block 0 or when the client asked for it (RFC 7959 §4).
    /// </summary>
    public static CoapMessage Slice(CoapMessage full, BlockValue block, bool includeSize)
    {
        var total = full.Payload.Length;
        if (BlockwiseResponse.IsBeyondEnd(block, total))
        {
            return BlockwiseResponse.BeyondEnd(block, total);
        }

        var offset = (int)block.Offset;
        var length = Math.Min(block.Size, total - offset);
        var message = new CoapMessage(new CoapOptionList(full.Options.Count + 3))
        {
            Code = full.Code,
            Payload = full.Payload.Slice(offset, length),
        };
        foreach (var option in full.Options)
        {
            if (option.Number is not OptionNumber.Block2 and not OptionNumber.Size2)
            {
                message.Options.Add(option);
            }
        }

        if (!full.Options.Contains(OptionNumber.ETag))
        {
            message.Options.Add(new CoapOption(OptionNumber.ETag, EntityTag.For(full.Payload)));
        }

        message.Options.Add(new BlockValue(block.Number, offset + length < total, block.SizeExponent).ToOption(OptionNumber.Block2));
        if (block.Number == 0 || includeSize)
        {
            message.Options.Add(CoapOption.FromUInt(OptionNumber.Size2, (uint)total));
        }

        return message;
    }
}

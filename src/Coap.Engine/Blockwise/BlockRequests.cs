using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>Builds the requests of a block-wise transfer from the request the caller gave (RFC 7959 §2.4, §2.5).</summary>
internal static class BlockRequests
{
    /// <summary>
    /// A request with the template's type, method and options, without payload, token, Observe, Block1, Block2,
    /// Size1 and Size2: each block is its own exchange with a fresh token and message ID (RFC 7959 §2.4).
    /// </summary>
    public static CoapMessage Derive(CoapMessage template)
    {
        var request = new CoapMessage(new CoapOptionList(template.Options.Count + 2)) { Type = template.Type, Code = template.Code };
        foreach (var option in template.Options)
        {
            if (option.Number is not (OptionNumber.Observe or OptionNumber.Block1 or OptionNumber.Block2 or OptionNumber.Size1 or OptionNumber.Size2))
            {
                request.Options.Add(option);
            }
        }

        return request;
    }

    /// <summary>The Block1 or Block2 value of a message, if it has a well-formed one.</summary>
    public static bool TryGetBlock(CoapMessage message, ushort number, out BlockValue block)
    {
        block = default;
        return message.Options.TryGet(number, out var option) && BlockValue.TryDecode(option.Value.Span, out block);
    }

    /// <summary>Sets a Block1 or Block2 option.</summary>
    public static void SetBlock(CoapMessage message, ushort number, BlockValue block) => message.Options.Set(block.ToOption(number));
}

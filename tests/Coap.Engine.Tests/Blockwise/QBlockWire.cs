using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>What the Q-Block wire tests (<see cref="QBlock1ServerTests"/>, <see cref="QBlock2ServerTests"/>) share: a body in 64-byte blocks and the reading of a block option.</summary>
internal static class QBlockWire
{
    /// <summary>A body of <paramref name="blocks"/> full 64-byte blocks and a 10-byte last one, byte i being i·<paramref name="factor"/>.</summary>
    public static byte[] Body(int blocks, int factor) => Enumerable.Range(0, (blocks * 64) + 10).Select(i => (byte)(i * factor)).ToArray();

    /// <summary>The block option <paramref name="number"/> of <paramref name="message"/>, asserted present and well-formed.</summary>
    public static BlockValue Block(CoapMessage message, ushort number)
    {
        Assert.True(message.Options.TryGet(number, out var option), $"no {number} in {message}");
        Assert.True(BlockValue.TryDecode(option.Value.Span, out var block));
        return block;
    }
}

namespace Coap.Engine.Protocol;

/// <summary>
/// The value of a Block1 or Block2 option (RFC 7959 §2.2): block number NUM, more flag M and size exponent SZX,
/// the block size being 2^(SZX + 4) bytes, 16 to 1024. SZX 7 (BERT) is reserved for reliable transports.
/// </summary>
public readonly record struct BlockValue(int Number, bool More, int SizeExponent)
{
    public const int MaxNumber = (1 << 20) - 1;
    public const int MaxSizeExponent = 6;

    public int Size => 1 << (SizeExponent + 4);

    /// <summary>The byte offset of the block: NUM × size.</summary>
    public long Offset => (long)Number * Size;

    /// <summary>The size exponent for a block size of 16 to 1024 bytes, rounding down to a power of two.</summary>
    public static int ExponentFor(int blockSize)
    {
        var exponent = 0;
        while (exponent < MaxSizeExponent && (1 << (exponent + 5)) <= blockSize)
        {
            exponent++;
        }

        return exponent;
    }

    /// <summary>Decodes an option value of 0 to 3 bytes; false for a longer value or the reserved SZX 7.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, out BlockValue block)
    {
        block = default;
        if (value.Length > 3)
        {
            return false;
        }

        uint raw = 0;
        foreach (var b in value)
        {
            raw = (raw << 8) | b;
        }

        var szx = (int)(raw & 0x7);
        if (szx > MaxSizeExponent)
        {
            return false;
        }

        block = new BlockValue((int)(raw >> 4), (raw & 0x8) != 0, szx);
        return true;
    }

    /// <summary>The option for this value in its shortest form.</summary>
    public CoapOption ToOption(ushort number) =>
        CoapOption.FromUInt(number, ((uint)Number << 4) | (More ? 8u : 0u) | (uint)SizeExponent);

    public override string ToString() => $"{Number}/{(More ? 1 : 0)}/{Size}";
}

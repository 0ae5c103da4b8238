using System.Buffers.Binary;
using System.Text;

namespace Coap.Engine.Protocol;

/// <summary>One option: its number and its raw value (RFC 7252 §3.1).</summary>
public readonly record struct CoapOption(ushort Number, ReadOnlyMemory<byte> Value)
{
    /// <summary>Values 1 to 255 as shared one-byte values, so common options (Content-Format, Max-Age) never allocate.</summary>
    private static readonly ReadOnlyMemory<byte>[] OneByteValues = BuildOneByteValues();

    /// <summary>The longest unsigned integer value: 4 bytes (RFC 7252 §3.2; the largest uint option, Max-Age, is 0-4).</summary>
    public const int MaxUIntLength = 4;

    /// <summary>
    /// The value as an unsigned integer in network byte order, leading zeros allowed (RFC 7252 §3.2); a value longer
    /// than <see cref="MaxUIntLength"/> bytes is malformed and throws rather than being cut to its low bytes.
    /// </summary>
    public uint GetUInt() =>
        TryGetUInt(out var value) ? value : throw new FormatException($"{OptionDefinition.NameOf(Number)} has {Value.Length} bytes, more than an unsigned integer option may have ({MaxUIntLength}).");

    /// <summary>The value as an unsigned integer; false when it is longer than <see cref="MaxUIntLength"/> bytes.</summary>
    public bool TryGetUInt(out uint value)
    {
        value = 0;
        if (Value.Length > MaxUIntLength)
        {
            return false;
        }

        foreach (var b in Value.Span)
        {
            value = (value << 8) | b;
        }

        return true;
    }

    /// <summary>The value as UTF-8 text.</summary>
    public string GetString() => Encoding.UTF8.GetString(Value.Span);

    public static CoapOption FromString(ushort number, string value) => new(number, Encoding.UTF8.GetBytes(value));

    /// <summary>An unsigned integer option in its shortest form: 0 is the empty value (RFC 7252 §3.2).</summary>
    public static CoapOption FromUInt(ushort number, uint value)
    {
        if (value <= byte.MaxValue)
        {
            return new CoapOption(number, value == 0 ? ReadOnlyMemory<byte>.Empty : OneByteValues[value]);
        }

        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
        var start = 0;
        while (start < 4 && buffer[start] == 0)
        {
            start++;
        }

        return new CoapOption(number, buffer[start..].ToArray());
    }

    public static CoapOption Empty(ushort number) => new(number, ReadOnlyMemory<byte>.Empty);

    /// <summary>"Uri-Path: time" style text: strings as text, integers as numbers, opaque values in hex.</summary>
    public override string ToString()
    {
        var definition = OptionDefinition.Find(Number);
        var value = definition?.Format switch
        {
            OptionFormat.UInt when TryGetUInt(out var number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            OptionFormat.String => GetString(),
            OptionFormat.Empty => string.Empty,
            _ => "0x" + Convert.ToHexStringLower(Value.Span),
        };
        return $"{OptionDefinition.NameOf(Number)}: {value}";
    }

    private static ReadOnlyMemory<byte>[] BuildOneByteValues()
    {
        var values = new ReadOnlyMemory<byte>[256];
        for (var i = 1; i < values.Length; i++)
        {
            values[i] = new[] { (byte)i };
        }

        return values;
    }
}

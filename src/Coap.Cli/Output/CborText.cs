using System.Formats.Cbor;
using System.Globalization;
using System.Text;

namespace Coap.Cli.Output;

/// <summary>CBOR in RFC 8949 §8 diagnostic notation, for people: {0: "kitchen", 3: 60}, h'01ff', 1("2026-...").</summary>
internal static class CborText
{
    /// <summary>
    /// Every item in the payload (a CBOR sequence shows comma-separated), or null when it cannot be read as CBOR. Read in
    /// System.Formats.Cbor's Lax mode, to show people what is there: repeated keys, text that is not UTF-8 (with
    /// replacement characters), the two-byte simple values of RFC 7049.
    /// </summary>
    public static string? TryFormat(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new CborReader(payload, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
            var text = new StringBuilder();
            while (reader.BytesRemaining > 0)
            {
                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                Append(reader, text);
            }

            return text.ToString();
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static void Append(CborReader reader, StringBuilder text)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
                text.Append(reader.ReadUInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case CborReaderState.NegativeInteger:
                text.Append((-1 - (System.Numerics.BigInteger)reader.ReadCborNegativeIntegerRepresentation()).ToString(CultureInfo.InvariantCulture));
                break;
            case CborReaderState.ByteString:
            case CborReaderState.StartIndefiniteLengthByteString:
                text.Append("h'").Append(Convert.ToHexStringLower(reader.ReadByteString())).Append('\'');
                break;
            case CborReaderState.TextString:
            case CborReaderState.StartIndefiniteLengthTextString:
                AppendString(text, reader.ReadTextString());
                break;
            case CborReaderState.StartArray:
                reader.ReadStartArray();
                text.Append('[');
                AppendItems(reader, text, CborReaderState.EndArray, pairs: false);
                reader.ReadEndArray();
                text.Append(']');
                break;
            case CborReaderState.StartMap:
                reader.ReadStartMap();
                text.Append('{');
                AppendItems(reader, text, CborReaderState.EndMap, pairs: true);
                reader.ReadEndMap();
                text.Append('}');
                break;
            case CborReaderState.Tag:
                AppendTagged(reader, text);
                break;
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                text.Append(Float(reader.ReadDouble()));
                break;
            case CborReaderState.Boolean:
                text.Append(reader.ReadBoolean() ? "true" : "false");
                break;
            case CborReaderState.Null:
                reader.ReadNull();
                text.Append("null");
                break;
            default:
                var simple = reader.ReadSimpleValue();
                text.Append(simple == CborSimpleValue.Undefined ? "undefined" : $"simple({((byte)simple).ToString(CultureInfo.InvariantCulture)})");
                break;
        }
    }

    /// <summary>
    /// A chain of tags and the item they wrap: one loop for the chain, since System.Formats.Cbor lets tags nest without
    /// the depth limit of 64 it puts on arrays and maps, and recursing per tag could overflow the stack.
    /// </summary>
    private static void AppendTagged(CborReader reader, StringBuilder text)
    {
        var tags = 0;
        while (reader.PeekState() == CborReaderState.Tag)
        {
            text.Append(((ulong)reader.ReadTag()).ToString(CultureInfo.InvariantCulture)).Append('(');
            tags++;
        }

        Append(reader, text);
        text.Append(')', tags);
    }

    private static void AppendItems(CborReader reader, StringBuilder text, CborReaderState end, bool pairs)
    {
        var first = true;
        while (reader.PeekState() != end)
        {
            text.Append(first ? string.Empty : ", ");
            first = false;
            Append(reader, text);
            if (pairs)
            {
                text.Append(": ");
                Append(reader, text);
            }
        }
    }

    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        text.Append('"');
    }

    private static string Float(double value) => value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ when double.IsNaN(value) => "NaN",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}

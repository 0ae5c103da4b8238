using System.Formats.Cbor;
using System.Globalization;
using System.Text;

namespace Coap.Engine.Tests.Cbor;

/// <summary>Reads one item into RFC 8949 §8 diagnostic notation, the form the test vectors use.</summary>
internal static class CborDiagnostic
{
    /// <summary>The item's diagnostic notation; with <paramref name="joinChunks"/>, indefinite-length strings show joined.</summary>
    public static string Read(CborReader reader, bool joinChunks = false)
    {
        var text = new StringBuilder();
        Append(reader, text, joinChunks);
        return text.ToString();
    }

    private static void Append(CborReader reader, StringBuilder text, bool joinChunks = false)
    {
        var state = reader.PeekState();
        if (joinChunks && state == CborReaderState.StartIndefiniteLengthByteString)
        {
            text.Append("h'").Append(Convert.ToHexStringLower(reader.ReadByteString())).Append('\'');
            return;
        }

        if (joinChunks && state == CborReaderState.StartIndefiniteLengthTextString)
        {
            text.Append('"').Append(reader.ReadTextString()).Append('"');
            return;
        }

        switch (state)
        {
            case CborReaderState.UnsignedInteger:
                text.Append(reader.ReadUInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case CborReaderState.NegativeInteger:
                text.Append((-1 - (System.Numerics.BigInteger)reader.ReadCborNegativeIntegerRepresentation()).ToString(CultureInfo.InvariantCulture));
                break;
            case CborReaderState.ByteString:
                text.Append("h'").Append(Convert.ToHexStringLower(reader.ReadByteString())).Append('\'');
                break;
            case CborReaderState.TextString:
                text.Append('"').Append(reader.ReadTextString()).Append('"');
                break;
            case CborReaderState.StartIndefiniteLengthByteString:
                reader.ReadStartIndefiniteLengthByteString();
                text.Append("(_ ");
                AppendItems(reader, text, CborReaderState.EndIndefiniteLengthByteString);
                reader.ReadEndIndefiniteLengthByteString();
                text.Append(')');
                break;
            case CborReaderState.StartIndefiniteLengthTextString:
                reader.ReadStartIndefiniteLengthTextString();
                text.Append("(_ ");
                AppendItems(reader, text, CborReaderState.EndIndefiniteLengthTextString);
                reader.ReadEndIndefiniteLengthTextString();
                text.Append(')');
                break;
            case CborReaderState.StartArray:
                text.Append(reader.ReadStartArray() is null ? "[_ " : "[");
                AppendItems(reader, text, CborReaderState.EndArray);
                reader.ReadEndArray();
                text.Append(']');
                break;
            case CborReaderState.StartMap:
                text.Append(reader.ReadStartMap() is null ? "{_ " : "{");
                var first = true;
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    text.Append(first ? string.Empty : ", ");
                    first = false;
                    Append(reader, text);
                    text.Append(": ");
                    Append(reader, text);
                }

                reader.ReadEndMap();
                text.Append('}');
                break;
            case CborReaderState.Tag:
                text.Append(((ulong)reader.ReadTag()).ToString(CultureInfo.InvariantCulture)).Append('(');
                Append(reader, text);
                text.Append(')');
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
                text.Append(simple == CborSimpleValue.Undefined ? "undefined" : $"simple({(byte)simple})");
                break;
        }
    }

    private static void AppendItems(CborReader reader, StringBuilder text, CborReaderState end)
    {
        var first = true;
        while (reader.PeekState() != end)
        {
            text.Append(first ? string.Empty : ", ");
            first = false;
            Append(reader, text);
        }
    }

    private static string Float(double value) => value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}

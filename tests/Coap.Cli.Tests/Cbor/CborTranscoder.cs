using System.Formats.Cbor;

namespace Coap.Cli.Tests.Cbor;

/// <summary>Copies one item from a System.Formats.Cbor reader to a writer call by call, to see what writing it again gives.</summary>
internal static class CborTranscoder
{
    public static void Copy(CborReader reader, CborWriter writer)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
                writer.WriteUInt64(reader.ReadUInt64());
                break;
            case CborReaderState.NegativeInteger:
                writer.WriteCborNegativeIntegerRepresentation(reader.ReadCborNegativeIntegerRepresentation());
                break;
            case CborReaderState.ByteString:
            case CborReaderState.StartIndefiniteLengthByteString:
                writer.WriteByteString(reader.ReadByteString());
                break;
            case CborReaderState.TextString:
            case CborReaderState.StartIndefiniteLengthTextString:
                writer.WriteTextString(reader.ReadTextString());
                break;
            case CborReaderState.StartArray:
                writer.WriteStartArray(reader.ReadStartArray());
                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    Copy(reader, writer);
                }

                reader.ReadEndArray();
                writer.WriteEndArray();
                break;
            case CborReaderState.StartMap:
                writer.WriteStartMap(reader.ReadStartMap());
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    Copy(reader, writer);
                    Copy(reader, writer);
                }

                reader.ReadEndMap();
                writer.WriteEndMap();
                break;
            case CborReaderState.Tag:
                writer.WriteTag(reader.ReadTag());
                Copy(reader, writer);
                break;
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                writer.WriteDouble(reader.ReadDouble());
                break;
            default:
                writer.WriteSimpleValue(reader.ReadSimpleValue());
                break;
        }
    }
}

using System.Formats.Cbor;
using Coap.Engine.Protocol;

namespace Services.PubSub.Topics;

/// <summary>
/// A value said to be CBOR (Content-Format 60, 63 or a "+cbor" type) must be well-formed, valid CBOR: one item for 60
/// and the "+cbor" types, any number of items (none included) for the sequence 63. Subscribers should never be handed
/// bytes their Content-Format promises and their decoder refuses. Every item is read through in System.Formats.Cbor's
/// Strict mode (the package's default): besides what is not well-formed (RFC 8949 §3: additional information 28-31
/// where it is not allowed, a two-byte simple value below 32, truncation, a stray break), text that is not UTF-8 and a
/// map that repeats a key (§5.6) are refused. What the items mean is the application's business. Nesting deeper than
/// 64 is refused: the package stops arrays and maps there itself, and the walk stops chains of tags there too.
/// </summary>
internal static class CborPayload
{
    private const int MaxNestedTags = 64;

    /// <summary>Null when <paramref name="payload"/> is fine for <paramref name="contentFormat"/>, else why it is not.</summary>
    public static string? Defect(ReadOnlyMemory<byte> payload, int? contentFormat)
    {
        if (contentFormat is not { } format || !ContentFormat.IsCbor(format))
        {
            return null;
        }

        try
        {
            var sequence = format == ContentFormat.CborSeq;
            var reader = new CborReader(payload, CborConformanceMode.Strict, allowMultipleRootLevelValues: sequence);
            if (!sequence)
            {
                ReadItem(reader);
                return reader.BytesRemaining == 0 ? null : $"bytes after the CBOR item (Content-Format {format})";
            }

            while (reader.BytesRemaining > 0)
            {
                ReadItem(reader);
            }

            return null;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            return $"the value is not valid CBOR (Content-Format {format}): {error.Message}";
        }
    }

    /// <summary>Reads one item with everything in it, without recursion.</summary>
    private static void ReadItem(CborReader reader)
    {
        var depth = reader.CurrentDepth;
        var tags = 0;
        do
        {
            switch (reader.PeekState())
            {
                case CborReaderState.Tag:
                    reader.ReadTag();
                    if (++tags > MaxNestedTags)
                    {
                        throw new CborContentException($"more than {MaxNestedTags} nested tags");
                    }

                    continue;
                case CborReaderState.StartArray:
                    reader.ReadStartArray();
                    break;
                case CborReaderState.EndArray:
                    reader.ReadEndArray();
                    break;
                case CborReaderState.StartMap:
                    reader.ReadStartMap();
                    break;
                case CborReaderState.EndMap:
                    reader.ReadEndMap();
                    break;
                default:
                    reader.SkipValue();
                    break;
            }

            tags = 0;
        }
        while (reader.CurrentDepth > depth || tags > 0);
    }
}

using System.Formats.Cbor;
using Coap.Engine.Protocol;

namespace Services.PubSub.Topics;

/// <summary>
/// A value said to be CBOR (Content-Format 60, 63 or a "+cbor" type) must be well-formed CBOR: one item for 60 and the
/// "+cbor" types, any number of items (none included) for the sequence 63. Subscribers should never be handed bytes their
/// Content-Format promises and their decoder refuses. Well-formed is all that is checked (Lax: duplicate keys and the
/// like are the application's business).
/// </summary>
internal static class CborPayload
{
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
            var reader = new CborReader(payload, CborConformanceMode.Lax, allowMultipleRootLevelValues: sequence);
            if (!sequence)
            {
                reader.SkipValue();
                return reader.BytesRemaining == 0 ? null : $"bytes after the CBOR item (Content-Format {format})";
            }

            while (reader.BytesRemaining > 0)
            {
                reader.SkipValue();
            }

            return null;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            return $"the value is not well-formed CBOR (Content-Format {format}): {error.Message}";
        }
    }
}

using System.Formats.Cbor;
using Services.PubSub.Topics;

namespace Services.PubSub.State.Redis;

/// <summary>A topic's value as the Redis store keeps and sends it: the CBOR array [Content-Format (uint or null), payload (bstr)]; never empty.</summary>
internal static class ValueRecord
{
    public static byte[] Write(Publication value)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(2);
        if (value.ContentFormat is { } format)
        {
            writer.WriteUInt32((uint)format);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteByteString(value.Payload);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Reads a value record; any defect is an <see cref="InvalidDataException"/>.</summary>
    public static Publication Read(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new CborReader(bytes);
            if (reader.ReadStartArray() != 2)
            {
                throw new InvalidDataException("a value record is an array of 2 items");
            }

            int? format = null;
            if (reader.PeekState() == CborReaderState.Null)
            {
                reader.ReadNull();
            }
            else
            {
                format = checked((int)reader.ReadUInt32());
            }

            var payload = reader.ReadByteString();
            reader.ReadEndArray();
            return reader.BytesRemaining == 0 ? new Publication(payload, format) : throw new InvalidDataException("bytes after the value record");
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            throw new InvalidDataException(error.Message, error);
        }
    }
}

using System.Formats.Cbor;

namespace Coap.Cli.Term;

/// <summary>
/// A piece of a terminal session's output as the server sends it: the CBOR sequence (RFC 8742) "offset, bytes",
/// followed by the exit status once the program has ended and the piece reaches the end of its output.
/// </summary>
internal readonly record struct OutputChunk(long Offset, byte[] Bytes, int? Exit)
{
    /// <summary>Reads a chunk; null when the payload is not one.</summary>
    public static OutputChunk? Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new CborReader(payload, allowMultipleRootLevelValues: true);
            var offset = reader.ReadUInt64();
            var bytes = reader.ReadByteString();
            int? exit = reader.BytesRemaining > 0 ? reader.ReadInt32() : null;
            return reader.BytesRemaining == 0 && offset <= long.MaxValue ? new OutputChunk((long)offset, bytes, exit) : null;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    public static byte[] OffsetBody(long offset)
    {
        var writer = new CborWriter();
        writer.WriteUInt64((ulong)offset);
        return writer.Encode();
    }

    /// <summary>Reads a CBOR unsigned integer (an answer's offset); null when it is not one.</summary>
    public static long? ReadOffset(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var value = new CborReader(payload).ReadUInt64();
            return value <= long.MaxValue ? (long)value : null;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Input as the pair [offset, bytes] (Content-Format 60), which the server types once however often it arrives.</summary>
    public static byte[] InputPair(long offset, ReadOnlySpan<byte> bytes)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(2);
        writer.WriteUInt64((ulong)offset);
        writer.WriteByteString(bytes);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static byte[] Size(ushort rows, ushort columns)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(2);
        writer.WriteUInt32(rows);
        writer.WriteUInt32(columns);
        writer.WriteEndArray();
        return writer.Encode();
    }
}

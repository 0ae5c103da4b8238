using System.Formats.Cbor;

namespace Services.Terminal.Tests;

/// <summary>Decodes the output resources' CBOR sequence "offset, bytes[, exit status]".</summary>
internal static class OutputChunkReader
{
    public static (long Offset, byte[] Bytes, int? Exit) Decode(ReadOnlyMemory<byte> payload)
    {
        var reader = new CborReader(payload, allowMultipleRootLevelValues: true);
        var offset = (long)reader.ReadUInt64();
        var bytes = reader.ReadByteString();
        int? exit = reader.BytesRemaining > 0 ? reader.ReadInt32() : null;
        Assert.Equal(0, reader.BytesRemaining);
        return (offset, bytes, exit);
    }

    public static long DecodeOffset(ReadOnlyMemory<byte> payload) => (long)new CborReader(payload).ReadUInt64();

    public static byte[] Offset(long offset)
    {
        var writer = new CborWriter();
        writer.WriteUInt64((ulong)offset);
        return writer.Encode();
    }

    public static byte[] Pair(long offset, byte[] bytes)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(2);
        writer.WriteUInt64((ulong)offset);
        writer.WriteByteString(bytes);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static byte[] Size(int rows, int columns)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(2);
        writer.WriteInt32(rows);
        writer.WriteInt32(columns);
        writer.WriteEndArray();
        return writer.Encode();
    }
}

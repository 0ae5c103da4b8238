using System.Formats.Cbor;

namespace Services.PubSub.Tests;

/// <summary>Configuration maps and key arrays as a client writes them, and a reader for the broker's maps.</summary>
internal static class Maps
{
    public const int Format = 606;

    /// <summary>
    /// A map from key/value pairs; values are string, int, long (written as uint), DateTimeOffset (tag 1), byte[] or null.
    /// Written in Lax mode, so that a test can repeat a key.
    /// </summary>
    public static byte[] Of(params (int Key, object? Value)[] entries)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartMap(entries.Length);
        foreach (var (key, value) in entries)
        {
            writer.WriteInt32(key);
            switch (value)
            {
                case null:
                    writer.WriteNull();
                    break;
                case string text:
                    writer.WriteTextString(text);
                    break;
                case int number:
                    writer.WriteInt32(number);
                    break;
                case DateTimeOffset date:
                    writer.WriteUnixTimeSeconds(date.ToUnixTimeSeconds());
                    break;
                case byte[] bytes:
                    writer.WriteByteString(bytes);
                    break;
                default:
                    throw new ArgumentException($"no CBOR for {value.GetType()}", nameof(entries));
            }
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>The map a topic is created with: name and resource-type, plus <paramref name="more"/>.</summary>
    public static byte[] Topic(string name, params (int Key, object? Value)[] more) =>
        Of([(0, name), (2, "core.ps.data"), .. more]);

    public static byte[] Keys(params int[] keys)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(keys.Length);
        foreach (var key in keys)
        {
            writer.WriteInt32(key);
        }

        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>The broker's map as key → value (string, ulong, DateTimeOffset).</summary>
    public static Dictionary<int, object> Read(ReadOnlyMemory<byte> payload)
    {
        var reader = new CborReader(payload);
        var map = new Dictionary<int, object>();
        reader.ReadStartMap();
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            var key = (int)reader.ReadUInt64();
            map[key] = reader.PeekState() switch
            {
                CborReaderState.TextString => reader.ReadTextString(),
                CborReaderState.UnsignedInteger => reader.ReadUInt64(),
                CborReaderState.Tag => reader.ReadUnixTimeSeconds(),
                _ => throw new InvalidDataException($"unexpected {reader.PeekState()} for key {key}"),
            };
        }

        reader.ReadEndMap();
        Assert.Equal(0, reader.BytesRemaining);
        return map;
    }
}

using System.Formats.Cbor;

namespace Services.PubSub.Topics;

/// <summary>
/// The configuration map in CBOR with integer keys 0..8 (draft-ietf-core-coap-pubsub-21 §5.2): reads a request's
/// map with each key's type checked, writes a topic's full map, and reads a FETCH's array of keys. Anything else
/// (unknown key, wrong type, trailing bytes) is a <see cref="ConfigurationException"/>.
/// </summary>
internal static class ConfigurationCodec
{
    /// <summary>
    /// The longest text value (topic-name, resource-type, topic-type), in UTF-8 bytes: with at most one entry per key,
    /// topic-data bounded by its own rule and the initialize value by MaxPayloadBytes, a topic's stored map stays small.
    /// </summary>
    public const int MaxTextBytes = 255;

    public static ConfigurationFields Read(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new CborReader(payload);
            if (reader.PeekState() != CborReaderState.StartMap)
            {
                throw new ConfigurationException("the payload must be a CBOR map with integer keys");
            }

            var fields = new ConfigurationFields();
            reader.ReadStartMap();
            while (reader.PeekState() != CborReaderState.EndMap)
            {
                ReadEntry(reader, fields);
            }

            reader.ReadEndMap();
            if (reader.BytesRemaining != 0)
            {
                throw new ConfigurationException("bytes after the configuration map");
            }

            return fields;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException)
        {
            throw new ConfigurationException("the payload is not valid CBOR: " + error.Message, error);
        }
        catch (OverflowException error)
        {
            throw new ConfigurationException("a number is out of range", error);
        }
    }

    /// <summary>A FETCH payload on a topic: an array of configuration keys.</summary>
    public static IReadOnlyList<int> ReadKeys(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new CborReader(payload);
            if (reader.PeekState() != CborReaderState.StartArray)
            {
                throw new ConfigurationException("the payload must be a CBOR array of configuration keys");
            }

            var keys = new List<int>();
            reader.ReadStartArray();
            while (reader.PeekState() != CborReaderState.EndArray)
            {
                if (reader.PeekState() != CborReaderState.UnsignedInteger)
                {
                    throw new ConfigurationException("configuration keys are unsigned integers");
                }

                var key = reader.ReadUInt64();
                if (key > ConfigKey.Last)
                {
                    throw new ConfigurationException($"unknown configuration key {key}");
                }

                keys.Add((int)key);
            }

            reader.ReadEndArray();
            if (reader.BytesRemaining != 0)
            {
                throw new ConfigurationException("bytes after the array of keys");
            }

            return keys;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException)
        {
            throw new ConfigurationException("the payload is not valid CBOR: " + error.Message, error);
        }
    }

    /// <summary>The full map (keys 0..7 that have a value), or only <paramref name="keys"/> when given.</summary>
    public static byte[] Write(TopicConfiguration configuration, IReadOnlyCollection<int>? keys = null)
    {
        var entries = new List<(int Key, Action<CborWriter> Value)>
        {
            (ConfigKey.TopicName, w => w.WriteTextString(configuration.Name)),
            (ConfigKey.TopicData, w => w.WriteTextString(configuration.DataPath)),
            (ConfigKey.ResourceType, w => w.WriteTextString(configuration.ResourceType)),
        };
        if (configuration.ContentFormat is { } format)
        {
            entries.Add((ConfigKey.TopicContentFormat, w => w.WriteUInt32((uint)format)));
        }

        if (configuration.TopicType is { } type)
        {
            entries.Add((ConfigKey.TopicType, w => w.WriteTextString(type)));
        }

        if (configuration.Expiration is { } expiration)
        {
            entries.Add((ConfigKey.ExpirationDate, w => w.WriteUnixTimeSeconds(expiration.ToUnixTimeSeconds())));
        }

        if (configuration.MaxSubscribers is { } max)
        {
            entries.Add((ConfigKey.MaxSubscribers, w => w.WriteUInt32((uint)max)));
        }

        entries.Add((ConfigKey.ObserverCheck, w => w.WriteUInt32((uint)configuration.ObserverCheck)));
        if (keys is not null)
        {
            entries.RemoveAll(entry => !keys.Contains(entry.Key));
        }

        var writer = new CborWriter();
        writer.WriteStartMap(entries.Count);
        foreach (var (key, value) in entries)
        {
            writer.WriteInt32(key);
            value(writer);
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    private static void ReadEntry(CborReader reader, ConfigurationFields fields)
    {
        if (reader.PeekState() != CborReaderState.UnsignedInteger)
        {
            throw new ConfigurationException("configuration keys are unsigned integers");
        }

        var raw = reader.ReadUInt64();
        if (raw > ConfigKey.Last)
        {
            throw new ConfigurationException($"unknown configuration key {raw}");
        }

        var key = (int)raw;
        if (reader.PeekState() == CborReaderState.Null)
        {
            if (ConfigKey.IsImmutable(key) || key == ConfigKey.Initialize)
            {
                throw new ConfigurationException($"key {key} cannot be null");
            }

            reader.ReadNull();
            fields.Mark(key, isNull: true);
            return;
        }

        fields.Mark(key, isNull: false);
        switch (key)
        {
            case ConfigKey.TopicName:
                fields.Name = Text(reader, key);
                if (fields.Name.Length == 0)
                {
                    throw new ConfigurationException("topic-name (0) must not be empty");
                }

                break;
            case ConfigKey.TopicData:
                fields.DataPath = Text(reader, key);
                break;
            case ConfigKey.ResourceType:
                fields.ResourceType = Text(reader, key);
                break;
            case ConfigKey.TopicContentFormat:
                fields.ContentFormat = (int)UInt(reader, key, ushort.MaxValue);
                break;
            case ConfigKey.TopicType:
                fields.TopicType = Text(reader, key);
                break;
            case ConfigKey.ExpirationDate:
                if (reader.PeekState() != CborReaderState.Tag || reader.PeekTag() != CborTag.UnixTimeSeconds)
                {
                    throw new ConfigurationException("expiration-date (5) must be a date in tag 1");
                }

                fields.Expiration = ReadDate(reader);
                break;
            case ConfigKey.MaxSubscribers:
                fields.MaxSubscribers = (int)UInt(reader, key, int.MaxValue);
                break;
            case ConfigKey.ObserverCheck:
                fields.ObserverCheck = (int)UInt(reader, key, int.MaxValue);
                if (fields.ObserverCheck == 0)
                {
                    throw new ConfigurationException("observer-check (7) must be at least 1 second");
                }

                break;
            default:
                if (reader.PeekState() != CborReaderState.ByteString)
                {
                    throw new ConfigurationException("initialize (8) must be a byte string");
                }

                fields.Initialize = reader.ReadByteString();
                break;
        }
    }

    /// <summary>Tag 1's seconds; a number no date can hold (10^15 s, infinity) is the client's error, not an overflow of ours.</summary>
    private static DateTimeOffset ReadDate(CborReader reader)
    {
        try
        {
            return reader.ReadUnixTimeSeconds();
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new ConfigurationException("expiration-date (5) is not a representable date", error);
        }
    }

    private static string Text(CborReader reader, int key)
    {
        if (reader.PeekState() != CborReaderState.TextString)
        {
            throw new ConfigurationException($"key {key} must be a text string");
        }

        // topic-data is bounded by its own rule: this broker's prefix and an id of one Uri-Path option (255 bytes).
        var text = reader.ReadTextString();
        return key == ConfigKey.TopicData || System.Text.Encoding.UTF8.GetByteCount(text) <= MaxTextBytes
            ? text
            : throw new ConfigurationException($"{ConfigKey.NameOf(key)} ({key}) is longer than {MaxTextBytes} bytes");
    }

    private static ulong UInt(CborReader reader, int key, ulong max)
    {
        if (reader.PeekState() != CborReaderState.UnsignedInteger)
        {
            throw new ConfigurationException($"key {key} must be an unsigned integer");
        }

        var value = reader.ReadUInt64();
        return value <= max ? value : throw new ConfigurationException($"key {key} is too large (at most {max})");
    }
}

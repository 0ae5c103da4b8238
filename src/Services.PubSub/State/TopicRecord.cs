using System.Formats.Cbor;
using Services.PubSub.Topics;

namespace Services.PubSub.State;

/// <summary>
/// One topic's state file: a CBOR array [id, configuration map, value (bstr or null), value's Content-Format (uint
/// or null), creator (tstr or null)]; the configuration map is the one the broker serves, so the file reads like the
/// protocol. A file of four items (written before creators were kept) reads with an unknown creator.
/// </summary>
internal static class TopicRecord
{
    public static byte[] Write(string id, TopicConfiguration configuration, Publication? value)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(5);
        writer.WriteTextString(id);
        writer.WriteEncodedValue(ConfigurationCodec.Write(configuration));
        if (value is null)
        {
            writer.WriteNull();
            writer.WriteNull();
        }
        else
        {
            writer.WriteByteString(value.Payload);
            if (value.ContentFormat is { } format)
            {
                writer.WriteUInt32((uint)format);
            }
            else
            {
                writer.WriteNull();
            }
        }

        if (configuration.Creator is { } creator)
        {
            writer.WriteTextString(creator);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Reads a state file; any defect is an <see cref="InvalidDataException"/>.</summary>
    public static (string Id, TopicConfiguration Configuration, Publication? Value) Read(byte[] bytes)
    {
        try
        {
            var reader = new CborReader(bytes);
            var items = reader.ReadStartArray();
            if (items is not (4 or 5))
            {
                throw new InvalidDataException("a topic record is an array of 5 items (4 before creators were kept)");
            }

            var id = reader.ReadTextString();
            var fields = ConfigurationCodec.Read(reader.ReadEncodedValue());
            if (fields.Name is null || fields.DataPath is null || fields.ResourceType != TopicConfiguration.DataResourceType)
            {
                throw new InvalidDataException("the stored configuration lacks topic-name, topic-data or resource-type");
            }

            var configuration = new TopicConfiguration
            {
                Name = fields.Name,
                DataPath = fields.DataPath,
                ContentFormat = fields.ContentFormat,
                TopicType = fields.TopicType,
                Expiration = fields.Expiration,
                MaxSubscribers = fields.MaxSubscribers,
                ObserverCheck = fields.ObserverCheck ?? TopicConfiguration.DefaultObserverCheck,
            };
            Publication? value = null;
            if (reader.PeekState() == CborReaderState.Null)
            {
                reader.ReadNull();
                reader.ReadNull();
            }
            else
            {
                var payload = reader.ReadByteString();
                int? format = reader.PeekState() == CborReaderState.Null ? null : (int)reader.ReadUInt32();
                if (format is null)
                {
                    reader.ReadNull();
                }

                value = new Publication(payload, format);
            }

            if (items == 5 && reader.PeekState() != CborReaderState.Null)
            {
                configuration = configuration with { Creator = reader.ReadTextString() };
            }
            else if (items == 5)
            {
                reader.ReadNull();
            }

            reader.ReadEndArray();
            if (reader.BytesRemaining != 0 || id.Length == 0)
            {
                throw new InvalidDataException("bytes after the topic record, or an empty id");
            }

            return (id, configuration, value);
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or ConfigurationException or OverflowException)
        {
            throw new InvalidDataException(error.Message, error);
        }
    }
}

using System.Formats.Cbor;
using System.Globalization;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands.PubSub;

/// <summary>
/// The topic configuration map of draft-ietf-core-coap-pubsub-21 as the client sees it: integer keys 0..8, written
/// for "ps create" and read for "ps ls" and "ps show".
/// </summary>
internal sealed class TopicMap
{
    /// <summary>application/core-pubsub+cbor, "TBD606" in the draft; the broker's Modules:PubSub:ContentFormat.</summary>
    public const int DefaultFormat = 606;

    private static readonly string[] KeyNames =
    [
        "topic-name", "topic-data", "resource-type", "topic-content-format", "topic-type",
        "expiration-date", "max-subscribers", "observer-check", "initialize",
    ];

    public SortedDictionary<int, string> Values { get; } = [];

    public string? Name => Values.GetValueOrDefault(0);

    public string? DataPath => Values.GetValueOrDefault(1);

    public string? TopicType => Values.GetValueOrDefault(4);

    public string? ContentFormatText => Values.GetValueOrDefault(3);

    public static byte[] ForCreate(string name, int? contentFormat, string? type, int? maxSubscribers)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2 + (contentFormat is null ? 0 : 1) + (type is null ? 0 : 1) + (maxSubscribers is null ? 0 : 1));
        writer.WriteInt32(0);
        writer.WriteTextString(name);
        writer.WriteInt32(2);
        writer.WriteTextString("core.ps.data");
        if (contentFormat is { } format)
        {
            writer.WriteInt32(3);
            writer.WriteInt32(format);
        }

        if (type is not null)
        {
            writer.WriteInt32(4);
            writer.WriteTextString(type);
        }

        if (maxSubscribers is { } max)
        {
            writer.WriteInt32(6);
            writer.WriteInt32(max);
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>Reads a broker's map; values become text (dates in ISO 8601 UTC, Content-Formats with their name); null if it is not a map.</summary>
    public static TopicMap? TryRead(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new CborReader(payload, CborConformanceMode.Lax);
            var map = new TopicMap();
            reader.ReadStartMap();
            while (reader.PeekState() != CborReaderState.EndMap)
            {
                var key = reader.PeekState() == CborReaderState.UnsignedInteger ? (int)Math.Min(reader.ReadUInt64(), int.MaxValue) : -1;
                if (key < 0)
                {
                    return null;
                }

                map.Values[key] = ReadValue(reader, key);
            }

            reader.ReadEndMap();
            return map;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>An epoch-time item as ISO 8601 UTC; null when it is no date or one no calendar date can hold.</summary>
    private static string? UtcDate(ReadOnlyMemory<byte> item)
    {
        try
        {
            return new CborReader(item, CborConformanceMode.Lax).ReadUnixTimeSeconds().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    public static string KeyName(int key) => key < KeyNames.Length ? KeyNames[key] : key.ToString(CultureInfo.InvariantCulture);

    private static string ReadValue(CborReader reader, int key)
    {
        if (key == 5 && reader.PeekState() == CborReaderState.Tag)
        {
            var date = reader.ReadEncodedValue();
            return UtcDate(date) ?? Output.CborText.TryFormat(date) ?? "?";
        }

        if (key == 3 && reader.PeekState() == CborReaderState.UnsignedInteger)
        {
            var format = (int)reader.ReadUInt32();
            return ContentFormat.NameOf(format) is { } name
                ? $"{format.ToString(CultureInfo.InvariantCulture)} ({name})"
                : format.ToString(CultureInfo.InvariantCulture);
        }

        if (key == 7 && reader.PeekState() == CborReaderState.UnsignedInteger)
        {
            return reader.ReadUInt64().ToString(CultureInfo.InvariantCulture) + " s";
        }

        return reader.PeekState() switch
        {
            CborReaderState.TextString => reader.ReadTextString(),
            CborReaderState.UnsignedInteger => reader.ReadUInt64().ToString(CultureInfo.InvariantCulture),
            _ => Output.CborText.TryFormat(reader.ReadEncodedValue()) ?? "?",
        };
    }
}

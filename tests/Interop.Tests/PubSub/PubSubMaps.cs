using System.Formats.Cbor;

namespace Interop.Tests.PubSub;

/// <summary>Configuration maps for the interop tests: create a topic, read its topic-data path.</summary>
internal static class PubSubMaps
{
    public const int Format = 606;

    public static byte[] Topic(string name, int contentFormat, string type)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(4);
        writer.WriteInt32(0);
        writer.WriteTextString(name);
        writer.WriteInt32(2);
        writer.WriteTextString("core.ps.data");
        writer.WriteInt32(3);
        writer.WriteInt32(contentFormat);
        writer.WriteInt32(4);
        writer.WriteTextString(type);
        writer.WriteEndMap();
        return writer.Encode();
    }

    public static string DataPath(ReadOnlyMemory<byte> map)
    {
        var reader = new CborReader(map);
        reader.ReadStartMap();
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            var key = reader.ReadUInt64();
            if (key == 1)
            {
                return reader.ReadTextString();
            }

            reader.SkipValue();
        }

        throw new InvalidDataException("the map has no topic-data (1)");
    }
}

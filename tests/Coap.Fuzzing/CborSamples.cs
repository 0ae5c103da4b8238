using System.Formats.Cbor;

namespace Coap.Fuzzing;

/// <summary>
/// CBOR the way pub-sub clients send it, right and wrong: configuration maps with integer keys 0–8
/// (draft-ietf-core-coap-pubsub-21 §5.2) whose keys, types and values stray now and then, arrays of keys for a FETCH,
/// and arbitrary data items for Content-Format 60 publications; <see cref="Damaged"/> breaks any of them at the byte
/// level. Names come from a small pool, so creations collide ("name in use").
/// </summary>
public static class CborSamples
{
    public const string DataResourceType = "core.ps.data";

    public static readonly string[] TopicNames = ["t0", "t1", "t2", "kitchen/temp", "t3"];

    private static readonly int[] ContentFormats = [0, 42, 50, 60, 63, 112, 553, 65535];

    /// <summary>A configuration map: a good topic most of the time, with one or two strays otherwise.</summary>
    public static byte[] ConfigurationMap(Random random, bool forCreate, DateTimeOffset now)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        var entries = new List<Action<CborWriter>>();
        if (forCreate || random.Chance(0.2))
        {
            entries.Add(w => Entry(w, 0, x => x.WriteTextString(TopicName(random))));
            entries.Add(w => Entry(w, 2, x => x.WriteTextString(random.Chance(0.95) ? DataResourceType : "core.ps.conf")));
        }

        if (random.Chance(0.15))
        {
            entries.Add(w => Entry(w, 1, x => x.WriteTextString(random.Pick<string>(["ps/data/d" + random.Next(4), "ps/data/", "elsewhere/x", "ps/data/a/b", "ps/data/" + new string('x', random.Next(250, 260))]))));
        }

        var format = random.Chance(0.4) ? random.Pick(ContentFormats) : (int?)null;
        if (format is { } f)
        {
            entries.Add(w => Entry(w, 3, x => x.WriteUInt32((uint)f)));
        }

        AddOptional(random, entries, 4, x => x.WriteTextString("temperature"));
        AddOptional(random, entries, 5, x => x.WriteUnixTimeSeconds(now.ToUnixTimeSeconds() + random.Pick<long>([-10, 2, 5, 30, 86_400 * 50, 1L << 40])));
        AddOptional(random, entries, 6, x => x.WriteUInt32((uint)random.Pick<int>([0, 1, 2, 100, int.MaxValue])));
        AddOptional(random, entries, 7, x => x.WriteUInt32((uint)random.Pick<int>([0, 1, 5, 86_400])));
        AddOptional(random, entries, 8, x => x.WriteByteString(format == 60 && random.Chance(0.8) ? DataItem(random) : random.Bytes(random.Next(6))));
        if (random.Chance(0.1))
        {
            entries.Add(w => Stray(random, w));
        }

        Shuffle(random, entries);
        writer.WriteStartMap(random.Chance(0.1) ? null : entries.Count);
        foreach (var entry in entries)
        {
            entry(writer);
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>
    /// A good topic whose topic-type is <paramref name="length"/> characters long: a map that takes several blocks.
    /// </summary>
    public static byte[] LargeTopic(Random random, int length)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartMap(3);
        Entry(writer, 0, x => x.WriteTextString(TopicName(random)));
        Entry(writer, 2, x => x.WriteTextString(DataResourceType));
        Entry(writer, 4, x => x.WriteTextString(new string('t', length)));
        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>A FETCH body for a topic: an array of keys, now and then one that is no key at all.</summary>
    public static byte[] KeyArray(Random random)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        var count = random.Next(5);
        writer.WriteStartArray(count);
        for (var i = 0; i < count; i++)
        {
            switch (random.Next(10))
            {
                case 0:
                    writer.WriteInt32(-1);
                    break;
                case 1:
                    writer.WriteUInt64(random.Chance(0.5) ? 9 : ulong.MaxValue);
                    break;
                case 2:
                    writer.WriteTextString("0");
                    break;
                default:
                    writer.WriteInt32(random.Next(9));
                    break;
            }
        }

        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>One well-formed data item of up to three levels: numbers, strings, floats, tags, maps, arrays.</summary>
    public static byte[] DataItem(Random random)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        WriteItem(random, writer, 3);
        return writer.Encode();
    }

    /// <summary>Bytes of a CBOR sample damaged at the byte level: cut short, a head byte changed, bytes added.</summary>
    public static byte[] Damaged(Random random, byte[] cbor) => ByteMutator.Mutate(random, cbor, headBytes: [0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x5f, 0x7f, 0x9f, 0xbf, 0xff, 0xf8, 0xf9, 0xfb, 0xc1, 0xd8]);

    /// <summary>
    /// A name from the pool mostly (so that creations collide), a fresh one now and then (so that some succeed when the
    /// pool is taken), rarely empty.
    /// </summary>
    private static string TopicName(Random random) => random.Next(20) switch
    {
        0 => "",
        < 3 => "t-" + random.Next(1_000_000).ToString("x", System.Globalization.CultureInfo.InvariantCulture),
        _ => random.Pick(TopicNames),
    };

    private static void AddOptional(Random random, List<Action<CborWriter>> entries, int key, Action<CborWriter> value)
    {
        if (random.Chance(0.25))
        {
            entries.Add(w => Entry(w, key, random.Chance(0.15) ? x => x.WriteNull() : value));
        }
    }

    private static void Entry(CborWriter writer, int key, Action<CborWriter> value)
    {
        writer.WriteInt32(key);
        value(writer);
    }

    /// <summary>An entry the codec must refuse: an unknown, negative or text key, a wrong type, a repeated key.</summary>
    private static void Stray(Random random, CborWriter writer)
    {
        switch (random.Next(5))
        {
            case 0:
                Entry(writer, random.Pick<int>([9, 100, -1]), x => x.WriteInt32(1));
                break;
            case 1:
                writer.WriteTextString("0");
                writer.WriteTextString("t");
                break;
            case 2:
                Entry(writer, random.Next(9), x => x.WriteDouble(1.5));
                break;
            case 3:
                Entry(writer, 5, x =>
                {
                    x.WriteTag(CborTag.UnixTimeSeconds);
                    x.WriteDouble(random.Pick<double>([double.NaN, double.PositiveInfinity, 1e300, -1e15]));
                });
                break;
            default:
                Entry(writer, 0, x => x.WriteTextString(random.Pick(TopicNames)));
                break;
        }
    }

    private static void WriteItem(Random random, CborWriter writer, int depth)
    {
        switch (random.Next(depth > 0 ? 10 : 7))
        {
            case 0:
                writer.WriteInt64(random.NextInt64(long.MinValue, long.MaxValue));
                break;
            case 1:
                writer.WriteUInt64((ulong)random.Next(100));
                break;
            case 2:
                writer.WriteTextString(random.Pick<string>(["", "v", "21.5 °C", new string('a', random.Next(300))]));
                break;
            case 3:
                writer.WriteByteString(random.Bytes(random.Next(20)));
                break;
            case 4:
                writer.WriteHalf((Half)random.NextSingle());
                break;
            case 5:
                writer.WriteDouble(random.Pick<double>([0.0, -0.0, 21.5, double.NaN, double.NegativeInfinity, double.Epsilon]));
                break;
            case 6:
                writer.WriteSimpleValue(random.Pick<CborSimpleValue>([CborSimpleValue.False, CborSimpleValue.True, CborSimpleValue.Null, CborSimpleValue.Undefined]));
                break;
            case 7:
                writer.WriteTag(random.Pick<CborTag>([CborTag.UnixTimeSeconds, CborTag.DateTimeString, CborTag.UnsignedBigNum, (CborTag)1001]));
                WriteItem(random, writer, depth - 1);
                break;
            case 8:
                var count = random.Next(4);
                writer.WriteStartArray(random.Chance(0.2) ? null : count);
                for (var i = 0; i < count; i++)
                {
                    WriteItem(random, writer, depth - 1);
                }

                writer.WriteEndArray();
                break;
            default:
                var pairs = random.Next(3);
                writer.WriteStartMap(random.Chance(0.2) ? null : pairs);
                for (var i = 0; i < pairs; i++)
                {
                    writer.WriteInt32(i);
                    WriteItem(random, writer, depth - 1);
                }

                writer.WriteEndMap();
                break;
        }
    }

    private static void Shuffle<T>(Random random, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

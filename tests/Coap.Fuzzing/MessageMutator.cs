using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// Structure-aware damage to a request before it is encoded: option numbers moved, values of edge lengths, options
/// repeated or dropped, Observe/Block1/Block2/Size1/Content-Format/Accept/Uri-Query values at and past their limits,
/// payloads of block-edge lengths, other codes and types, tokens of other lengths. One to three changes per call.
/// </summary>
public static class MessageMutator
{
    private static readonly ushort[] Numbers =
    [
        OptionNumber.IfMatch, OptionNumber.UriHost, OptionNumber.ETag, OptionNumber.IfNoneMatch, OptionNumber.Observe, OptionNumber.UriPort,
        OptionNumber.LocationPath, OptionNumber.UriPath, OptionNumber.ContentFormat, OptionNumber.MaxAge, OptionNumber.UriQuery, OptionNumber.Accept,
        OptionNumber.Block2, OptionNumber.Block1, OptionNumber.Size2, OptionNumber.Size1, OptionNumber.NoResponse, OptionNumber.ProxyScheme,
        OptionNumber.HopLimit, OptionNumber.Echo, OptionNumber.RequestTag, 0, 13, 14, 268, 269, 270, 65535,
    ];

    private static readonly ulong[] Integers = [0, 1, 2, 12, 13, 60, 255, 256, 553, 606, 65535, 65536, 0xFFFFFF, 0x1000000, uint.MaxValue, 1UL << 32];

    public static CoapMessage Mutate(Random random, CoapMessage original)
    {
        var options = new List<CoapOption>(original.Options);
        var message = new CoapMessage
        {
            Type = original.Type,
            Code = original.Code,
            Token = original.Token,
            MessageId = original.MessageId,
            Payload = original.Payload,
        };
        for (var changes = random.Next(1, 4); changes > 0; changes--)
        {
            Change(random, message, options);
        }

        foreach (var option in options)
        {
            message.Options.Add(option);
        }

        return message;
    }

    private static void Change(Random random, CoapMessage message, List<CoapOption> options)
    {
        var at = options.Count == 0 ? -1 : random.Next(options.Count);
        switch (random.Next(12))
        {
            case 0 when at >= 0:
                var number = random.Chance(0.5) ? options[at].Number + random.Pick<int>([-1, 1, 2, -2]) : random.Pick(Numbers);
                options[at] = options[at] with { Number = (ushort)Math.Clamp(number, 0, ushort.MaxValue) };
                break;
            case 1 when at >= 0:
                options[at] = options[at] with { Value = random.Bytes(random.EdgeLength()) };
                break;
            case 2 when at >= 0:
                options.Insert(at, random.Chance(0.5) ? options[at] : options[at] with { Value = random.Bytes(random.Next(5)) });
                break;
            case 3 when at >= 0:
                options.RemoveAt(at);
                break;
            case 4:
                options.Add(new CoapOption(random.Pick<ushort>([OptionNumber.Observe, OptionNumber.Size1, OptionNumber.Size2, OptionNumber.ContentFormat, OptionNumber.Accept, OptionNumber.MaxAge]), Integer(random)));
                break;
            case 5:
                options.Add(new CoapOption(random.Chance(0.5) ? OptionNumber.Block1 : OptionNumber.Block2, Block(random)));
                break;
            case 6:
                options.Add(CoapOption.FromString(random.Chance(0.7) ? OptionNumber.UriQuery : OptionNumber.UriPath, Text(random)));
                break;
            case 7:
                message.Payload = random.Bytes(random.Pick<int>([0, 1, 15, 16, 17, 63, 64, 65, 1023, 1024, 1025, 2048, random.Next(4096)]));
                break;
            case 8:
                message.Code = new CoapCode((byte)random.Pick<int>([random.Next(1, 8), random.Next(8, 32), 0, 69, 68, 32 + random.Next(32), 192 + random.Next(64)]));
                break;
            case 9:
                message.Type = (CoapMessageType)random.Next(4);
                break;
            case 10:
                message.Token = CoapToken.FromSpan(random.Bytes(random.Next(9)));
                break;
            default:
                options.Add(new CoapOption(random.Pick(Numbers), random.Bytes(random.EdgeLength())));
                break;
        }
    }

    /// <summary>An unsigned integer at an edge, in its shortest form or with leading zeros, 0 to 5 bytes long.</summary>
    private static byte[] Integer(Random random)
    {
        var value = random.Pick(Integers);
        var length = 0;
        for (var rest = value; rest != 0; rest >>= 8)
        {
            length++;
        }

        if (random.Chance(0.2))
        {
            length++;
        }

        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--, value >>= 8)
        {
            bytes[i] = (byte)value;
        }

        return bytes;
    }

    /// <summary>A Block option value: NUM up to 2^20 − 1 and beyond, M either way, SZX 0 to 7, 0 to 4 bytes.</summary>
    private static byte[] Block(Random random)
    {
        var number = random.Pick<uint>([0, 1, 2, 15, 16, 4095, 4096, (1 << 20) - 1]);
        var raw = (number << 4) | (random.Chance(0.5) ? 8u : 0u) | (uint)random.Next(8);
        var length = random.Pick<int>([0, 1, 2, 3, 3, 4]);
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--, raw >>= 8)
        {
            bytes[i] = (byte)raw;
        }

        return bytes;
    }

    private static string Text(Random random) => random.Next(6) switch
    {
        0 => "",
        1 => new string('q', random.Pick<int>([12, 13, 255, 256, 268, 269, 1000])),
        2 => "dns=" + DnsQueries.ToBase64Url(random.Bytes(random.Next(30))),
        3 => random.Pick(Served.OddSegments),
        4 => "rt=" + new string('*', random.Next(3)),
        _ => "%00%ff&=;,<>\"",
    };
}

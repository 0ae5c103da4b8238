using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using static Coap.Engine.Tests.Codec.MessageAssert;

namespace Coap.Engine.Tests.Codec;

/// <summary>Seeded random messages and mutated datagrams: the codec never throws and stays consistent.</summary>
public sealed class MutationTests
{
    private static readonly string[] Seeds =
    [
        "40 01 7d 34 bb 74 65 6d 70 65 72 61 74 75 72 65",
        "60 45 7d 34 ff 32 32 2e 33 20 43",
        "52 02 00 01 ca fe 31 68 81 61 11 28 33 78 3d 31 20 ff 68 69",
        "60 00 12 34",
        "48 01 00 00 01 02 03 04 05 06 07 08 b1 61 00 e1 06 e8 01 d0 00 e0 f4 ce",
        "44 03 ab cd 0a 0b 0c 0d bd 02 30 31 32 33 34 35 36 37 38 39 30 31 32 33 34 d1 0b 40 ff 01 02 03",
    ];

    [Fact]
    public void Mutated_datagrams_never_throw_and_decode_consistently()
    {
        foreach (var seed in Seeds)
        {
            Assert.Equal(CoapDecodeError.None, CoapMessageReader.Validate(Hex(seed)));
        }

        var random = new Random(7252);
        var decodedCount = 0;
        for (var round = 0; round < 5000; round++)
        {
            var datagram = Mutate(Hex(Seeds[round % Seeds.Length]), random);
            var error = CoapMessageReader.TryRead(datagram, out var message);

            Assert.Equal(error, CoapMessageReader.Validate(datagram));
            Assert.Equal(error == CoapDecodeError.None, message is not null);
            if (message is null)
            {
                continue;
            }

            // The encoding is canonical, so a decodable datagram re-encodes to the same bytes and fields.
            decodedCount++;
            var encoded = CoapMessageWriter.ToArray(message);
            Assert.Equal(datagram, encoded);
            Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(encoded, out var again));
            Equal(message, again!);
        }

        // Both outcomes must actually be exercised for the test to mean anything.
        Assert.InRange(decodedCount, 100, 4900);
    }

    [Fact]
    public void Random_messages_round_trip()
    {
        var random = new Random(6690);
        for (var round = 0; round < 2000; round++)
        {
            var message = RandomMessage(random);

            var bytes = CoapMessageWriter.ToArray(message);

            Assert.Equal(bytes.Length, CoapMessageWriter.GetEncodedLength(message));
            Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(bytes, out var decoded));
            Equal(message, decoded!);
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var position = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[position] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
                case 3:
                    bytes.Insert(position, (byte)random.Next(256));
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveAt(position);
                    break;
                default:
                    bytes.Add((byte)random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }

    private static CoapMessage RandomMessage(Random random)
    {
        var token = new byte[random.Next(CoapToken.MaxLength + 1)];
        random.NextBytes(token);
        var message = new CoapMessage
        {
            Type = (CoapMessageType)random.Next(4),
            Code = new CoapCode((byte)random.Next(1, 256)),
            MessageId = (ushort)random.Next(65536),
            Token = CoapToken.FromSpan(token),
        };

        var optionCount = random.Next(8);
        for (var i = 0; i < optionCount; i++)
        {
            // Favour small numbers and lengths but reach every extension size.
            var number = random.Next(3) switch { 0 => random.Next(15), 1 => random.Next(300), _ => random.Next(65536) };
            var value = new byte[random.Next(3) switch { 0 => random.Next(13), 1 => random.Next(14, 270), _ => random.Next(269, 1200) }];
            random.NextBytes(value);
            message.Options.Add((ushort)number, value);
        }

        if (random.Next(2) == 0)
        {
            var payload = new byte[random.Next(1, 100)];
            random.NextBytes(payload);
            message.Payload = payload;
        }

        return message;
    }
}

namespace Services.Doc.Dns.Tests;

/// <summary>Seeded random damage to valid messages: the codec answers with a message or its own exception, nothing else.</summary>
public sealed class MutationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mutated_messages_parse_or_fail_with_a_format_exception_only(int seed)
    {
        var random = new Random(seed);
        var original = DnsCodecTests.SampleResponse().ToArray();
        var parsedCount = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = Mutate(random, original);
            try
            {
                var message = DnsMessage.Parse(bytes);
                parsedCount++;
                DnsMessage.Parse(message.ToArray());
            }
            catch (DnsFormatException)
            {
            }
        }

        Assert.InRange(parsedCount, 1, 19_999);
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                var at = random.Next(12, bytes.Length - 1);
                bytes[at] = (byte)(0xC0 | random.Next(0x40));
                bytes[at + 1] = (byte)random.Next(256);
                return bytes;
            default:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
        }
    }
}

using Coap.Fuzzing;
using Services.Doc.Dns;

namespace Services.Doc.Tests;

/// <summary>
/// The fuzzer's DNS queries and its stand-in upstream's answers (large, NXDOMAIN with SOA, CNAME chains, broken
/// counts, truncated), damaged where a DNS reader is weakest (compression pointers, label lengths, counts): the codec
/// answers with a message or its own exception only; a parsed message re-encodes to bytes that parse to the same
/// encoding again; and a parsed answer goes through DoC's Max-Age rewrite and is re-encoded without throwing, as
/// DoC does with whatever an upstream sends.
/// </summary>
public sealed class FuzzedMessageTests
{
    private const int Messages = 30_000;

    /// <summary>Pointer and label-type bytes, the top of a length, the ends of a count.</summary>
    private static readonly byte[] DnsBytes = [0xC0, 0xC0, 0xFF, 0x3F, 0x40, 0x80, 0x00, 0x01, 0x0C, 0x29];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Damaged_queries_and_answers_parse_or_fail_with_a_format_exception_and_parsed_ones_rewrite_and_re_encode(int seed)
    {
        var random = new Random(seed);
        var parsed = 0;
        for (var i = 0; i < Messages; i++)
        {
            var query = DnsQueries.Next(random);
            var message = random.Chance(0.5) ? query : DnsAnswers.For(query) ?? query;
            var bytes = ByteMutator.Mutate(random, message, DnsBytes);

            DnsMessage parsedMessage;
            try
            {
                parsedMessage = DnsMessage.Parse(bytes);
            }
            catch (DnsFormatException)
            {
                Assert.False(DnsMessage.TryParse(bytes, out _, out var error));
                Assert.NotEmpty(error);
                continue;
            }

            parsed++;
            var encoded = parsedMessage.ToArray();
            Assert.Equal(encoded, DnsMessage.Parse(encoded).ToArray());
            if (parsedMessage.Header.IsResponse)
            {
                var (rewritten, maxAge) = MaxAgeRewriter.Apply(parsedMessage, 60);
                _ = (rewritten.ToArray(), maxAge);
            }
        }

        Assert.InRange(parsed, Messages / 10, Messages - 100);
    }
}

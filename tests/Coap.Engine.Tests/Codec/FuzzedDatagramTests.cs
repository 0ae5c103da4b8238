using Coap.Engine.Blockwise;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Fuzzing;

namespace Coap.Engine.Tests.Codec;

/// <summary>
/// The fuzzer's datagrams (requests to every resource, damaged at the option and the byte level, garbage, scenario
/// steps) through the codec and the checks a server makes before routing: nothing throws, the three decoders agree,
/// and what decodes re-encodes to the very same bytes (the encoding is canonical: option deltas and lengths have one
/// form each, RFC 7252 §3.1).
/// </summary>
public sealed class FuzzedDatagramTests
{
    private const int Datagrams = 40_000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fuzzed_datagrams_decode_or_fail_cleanly_and_decoded_ones_re_encode_to_the_same_bytes(int seed)
    {
        var client = new FuzzClient(seed, 2, () => DateTimeOffset.UnixEpoch);
        var random = new Random(seed);
        var decoded = 0;
        for (var i = 0; i < Datagrams; i++)
        {
            var datagram = client.Next().Bytes;
            if (random.Chance(0.3))
            {
                datagram = ByteMutator.MutateDatagram(random, datagram);
            }

            var error = CoapMessageReader.TryRead(datagram, out var message);

            Assert.Equal(error, CoapMessageReader.Validate(datagram));
            Assert.Equal(error, CoapMessageReader.TryReadCopy(datagram, out _));
            if (message is null)
            {
                continue;
            }

            decoded++;
            Assert.Equal(datagram.Length, CoapMessageWriter.GetEncodedLength(message));
            Assert.Equal(datagram, CoapMessageWriter.ToArray(message));
            InspectAsTheServerDoes(message);
        }

        Assert.InRange(decoded, Datagrams / 4, Datagrams - 100);
    }

    /// <summary>What the server and its log read from any request before a resource sees it; none of it may throw.</summary>
    private static void InspectAsTheServerDoes(CoapMessage message)
    {
        _ = message.ToString();
        _ = CriticalOptions.FindRefused(message);
        ElectiveOptions.DropMalformed(message.Options);
        _ = (message.GetUriPath(), message.GetUriQueries(), message.Accept, message.ContentFormat, message.Observe);
        foreach (var number in (ushort[])[OptionNumber.Block1, OptionNumber.Block2])
        {
            if (message.Options.TryGet(number, out var option))
            {
                _ = BlockValue.TryDecode(option.Value.Span, out _);
            }
        }
    }
}

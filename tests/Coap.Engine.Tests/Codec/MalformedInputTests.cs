using Coap.Engine.Codec;
using static Coap.Engine.Tests.Codec.MessageAssert;

namespace Coap.Engine.Tests.Codec;

/// <summary>Every way a datagram can be malformed (RFC 7252 §3, §4.1) yields its error, never an exception.</summary>
public sealed class MalformedInputTests
{
    [Theory]
    [InlineData("", CoapDecodeError.TooShort)]
    [InlineData("40", CoapDecodeError.TooShort)]
    [InlineData("40 01 00", CoapDecodeError.TooShort)]
    [InlineData("00 01 00 00", CoapDecodeError.UnsupportedVersion)]
    [InlineData("80 01 00 00", CoapDecodeError.UnsupportedVersion)]
    [InlineData("c0 01 00 00", CoapDecodeError.UnsupportedVersion)]
    [InlineData("49 01 00 00 01 02 03 04 05 06 07 08 09", CoapDecodeError.InvalidTokenLength)]
    [InlineData("4a 01 00 00 01 02 03 04 05 06 07 08 09 0a", CoapDecodeError.InvalidTokenLength)]
    [InlineData("4f 01 00 00", CoapDecodeError.InvalidTokenLength)]
    [InlineData("41 01 00 00", CoapDecodeError.TruncatedToken)]
    [InlineData("44 01 00 00 01 02 03", CoapDecodeError.TruncatedToken)]
    [InlineData("48 01 00 00 01 02 03 04 05 06 07", CoapDecodeError.TruncatedToken)]
    [InlineData("40 01 00 00 f0", CoapDecodeError.ReservedOptionNibble)]
    [InlineData("40 01 00 00 f1 61", CoapDecodeError.ReservedOptionNibble)]
    [InlineData("40 01 00 00 0f", CoapDecodeError.ReservedOptionNibble)]
    [InlineData("40 01 00 00 bf 61", CoapDecodeError.ReservedOptionNibble)]
    [InlineData("40 01 00 00 b1 61 3f", CoapDecodeError.ReservedOptionNibble)]
    [InlineData("40 01 00 00 ff", CoapDecodeError.PayloadMarkerWithoutPayload)]
    [InlineData("41 01 00 00 aa ff", CoapDecodeError.PayloadMarkerWithoutPayload)]
    [InlineData("40 01 00 00 b1 61 ff", CoapDecodeError.PayloadMarkerWithoutPayload)]
    [InlineData("40 01 00 00 d0", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 e0", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 e0 00", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 bd", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 be 00", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 dd 00", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 b3 61 62", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 b1", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 bd 05 01 02 03 04 05 06 07 08 09 0a", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 be 00 00 01", CoapDecodeError.TruncatedOption)]
    [InlineData("40 01 00 00 e0 ff ff", CoapDecodeError.OptionNumberTooLarge)]
    [InlineData("40 01 00 00 e0 fe f3", CoapDecodeError.OptionNumberTooLarge)]
    [InlineData("40 01 00 00 e0 fc db d0 ff d0 ff", CoapDecodeError.OptionNumberTooLarge)]
    [InlineData("60 00 12 34 ff 00", CoapDecodeError.EmptyMessageNotEmpty)]
    [InlineData("60 00 12 34 00", CoapDecodeError.EmptyMessageNotEmpty)]
    [InlineData("70 00 12 34 b1 61", CoapDecodeError.EmptyMessageNotEmpty)]
    [InlineData("41 00 12 34 ab", CoapDecodeError.EmptyMessageNotEmpty)]
    [InlineData("41 00 12 34", CoapDecodeError.EmptyMessageNotEmpty)]
    public void Malformed_datagram_yields_its_error(string hex, CoapDecodeError expected)
    {
        var bytes = Hex(hex);

        Assert.Equal(expected, CoapMessageReader.TryRead(bytes, out var message));
        Assert.Null(message);
        Assert.Equal(expected, CoapMessageReader.Validate(bytes));
    }

    [Theory]
    [InlineData("40 01 00 00 e0 fe f2")]
    [InlineData("40 01 00 00 e0 fc db d0 ff d0 fe")]
    [InlineData("48 01 00 00 01 02 03 04 05 06 07 08")]
    [InlineData("40 01 00 00 b0 00 00")]
    public void Edge_of_the_valid_range_decodes(string hex)
    {
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(Hex(hex), out var message));
        Assert.NotNull(message);
    }

    [Fact]
    public void Header_is_readable_even_when_the_rest_is_malformed()
    {
        var bytes = Hex("44 01 be ef 01");

        Assert.Equal(CoapDecodeError.TruncatedToken, CoapMessageReader.TryRead(bytes, out _));
        Assert.True(Coap.Engine.Codec.CoapHeader.TryRead(bytes, out var header));
        Assert.Equal(0xbeef, header.MessageId);
        Assert.Equal(4, header.TokenLength);
    }
}

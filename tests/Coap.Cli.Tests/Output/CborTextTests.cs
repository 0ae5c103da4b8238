using Coap.Cli.Output;

namespace Coap.Cli.Tests.Output;

/// <summary>The printer past what the Appendix A vectors hold: long tag chains, sequences, bytes that are not CBOR.</summary>
public sealed class CborTextTests
{
    [Fact]
    public void A_chain_of_60_000_tags_prints_in_full()
    {
        var text = CborText.TryFormat(Enumerable.Repeat((byte)0xc1, 60_000).Append((byte)0x00).ToArray());

        Assert.Equal(string.Concat(Enumerable.Repeat("1(", 60_000)) + "0" + new string(')', 60_000), text);
    }

    [Theory]
    [InlineData("0102", "1, 2")]
    [InlineData("", "")]
    [InlineData("3f", null)]
    [InlineData("82", null)]
    [InlineData("ff", null)]
    public void A_sequence_prints_comma_separated_and_bytes_that_are_not_cbor_as_null(string hex, string? expected)
    {
        Assert.Equal(expected, CborText.TryFormat(Convert.FromHexString(hex)));
    }
}

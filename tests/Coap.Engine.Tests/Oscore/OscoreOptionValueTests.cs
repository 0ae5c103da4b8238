using Coap.Engine.Oscore;

namespace Coap.Engine.Tests.Oscore;

/// <summary>The OSCORE option value (RFC 8613 §6.1): its encoding and every malformed form refused.</summary>
public sealed class OscoreOptionValueTests
{
    [Theory]
    [InlineData("", "", null, null)]
    [InlineData("0914", "14", "", null)]
    [InlineData("091400", "14", "00", null)]
    [InlineData("0100", "00", null, null)]
    [InlineData("19140837cbf3210017a2d3", "14", "", "37cbf3210017a2d3")]
    [InlineData("0d0102030405aabbccdd", "0102030405", "aabbccdd", null)]
    [InlineData("1800", "", "", "")]
    public void Decodes_and_encodes_back(string hex, string partialIv, string? kid, string? kidContext)
    {
        Assert.True(OscoreOptionValue.TryDecode(Convert.FromHexString(hex), out var value));

        Assert.Equal(partialIv, Convert.ToHexStringLower(value.PartialIv.Span));
        Assert.Equal(kid, value.Kid is { } k ? Convert.ToHexStringLower(k.Span) : null);
        Assert.Equal(kidContext, value.KidContext is { } c ? Convert.ToHexStringLower(c.Span) : null);
        Assert.Equal(hex, Convert.ToHexStringLower(value.Encode()));
    }

    [Theory]
    [InlineData("00")] // all flags zero must be the empty value
    [InlineData("2914")] // reserved flag bit 5
    [InlineData("4914")] // reserved flag bit 6
    [InlineData("8914")] // reserved flag bit 7
    [InlineData("06010203040506")] // n = 6, reserved
    [InlineData("0701020304050607")] // n = 7, reserved
    [InlineData("02")] // Partial IV cut short
    [InlineData("0314")] // Partial IV cut short
    [InlineData("020014")] // Partial IV with a leading zero byte
    [InlineData("10")] // kid context flag without its length
    [InlineData("110105")] // kid context longer than what follows
    [InlineData("1114ff00")] // kid context length 255 with one byte behind
    [InlineData("011401")] // bytes after the Partial IV without the kid flag
    [InlineData("11140100ff")] // bytes after the kid context without the kid flag
    public void Refuses_a_malformed_value(string hex)
    {
        Assert.False(OscoreOptionValue.TryDecode(Convert.FromHexString(hex), out _));
    }
}

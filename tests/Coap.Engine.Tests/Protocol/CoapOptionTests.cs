using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Protocol;

public sealed class CoapOptionTests
{
    [Theory]
    [InlineData(0u, "")]
    [InlineData(1u, "01")]
    [InlineData(255u, "FF")]
    [InlineData(256u, "0100")]
    [InlineData(65535u, "FFFF")]
    [InlineData(65536u, "010000")]
    [InlineData(0x00FFFFFFu, "FFFFFF")]
    [InlineData(0x01000000u, "01000000")]
    [InlineData(uint.MaxValue, "FFFFFFFF")]
    public void FromUInt_uses_the_shortest_big_endian_form(uint value, string hex)
    {
        var option = CoapOption.FromUInt(OptionNumber.MaxAge, value);

        Assert.Equal(hex, Convert.ToHexString(option.Value.Span));
        Assert.Equal(value, option.GetUInt());
    }

    [Fact]
    public void GetUInt_accepts_leading_zeros()
    {
        Assert.Equal(40u, new CoapOption(OptionNumber.ContentFormat, new byte[] { 0, 0, 40 }).GetUInt());
        Assert.Equal(0u, CoapOption.Empty(OptionNumber.ContentFormat).GetUInt());
    }

    [Fact]
    public void A_value_longer_than_four_bytes_is_malformed_never_cut_to_its_low_bytes()
    {
        var option = new CoapOption(OptionNumber.MaxAge, new byte[] { 1, 0, 0, 0, 5 });

        Assert.False(option.TryGetUInt(out _));
        Assert.Throws<FormatException>(() => option.GetUInt());
        Assert.Equal("Max-Age: 0x0100000005", option.ToString());
    }

    [Theory]
    [InlineData(OptionNumber.ContentFormat)]
    [InlineData(OptionNumber.MaxAge)]
    [InlineData(OptionNumber.Accept)]
    [InlineData(OptionNumber.Observe)]
    [InlineData(OptionNumber.Size1)]
    [InlineData(OptionNumber.Size2)]
    [InlineData(OptionNumber.UriPort)]
    [InlineData(OptionNumber.NoResponse)]
    public void A_list_reads_a_value_longer_than_four_bytes_as_absent(ushort number)
    {
        var message = new CoapMessage();
        message.Options.Add(number, new byte[] { 1, 0, 0, 0, 7 });

        Assert.Null(message.Options.GetUInt(number));
    }

    [Fact]
    public void Strings_are_utf8()
    {
        var option = CoapOption.FromString(OptionNumber.UriPath, "café");

        Assert.Equal(new byte[] { 0x63, 0x61, 0x66, 0xC3, 0xA9 }, option.Value.ToArray());
        Assert.Equal("café", option.GetString());
    }

    [Fact]
    public void ToString_shows_name_and_formatted_value()
    {
        Assert.Equal("Uri-Path: time", CoapOption.FromString(OptionNumber.UriPath, "time").ToString());
        Assert.Equal("Content-Format: 40", CoapOption.FromUInt(OptionNumber.ContentFormat, 40).ToString());
        Assert.Equal("ETag: 0xbeef", new CoapOption(OptionNumber.ETag, new byte[] { 0xBE, 0xEF }).ToString());
        Assert.Equal("Option 65000: 0x01", new CoapOption(65000, new byte[] { 1 }).ToString());
    }
}

using System.Text;
using Coap.Engine.Transport.Dtls;

namespace Coap.Engine.Tests.Transport;

/// <summary>How a pre-shared key is written: 0x and hex digits, or any other text as its UTF-8 bytes.</summary>
public sealed class PskKeyTextTests
{
    [Theory]
    [InlineData("0x00ff10", new byte[] { 0x00, 0xff, 0x10 })]
    [InlineData("0XAbCd", new byte[] { 0xab, 0xcd })]
    public void A_key_written_0x_is_its_hex_bytes(string text, byte[] expected) =>
        Assert.Equal(expected, PskKeyText.Parse(text));

    [Theory]
    [InlineData("secretPSK")]
    [InlineData("clé 0x12")]
    [InlineData("x0ff")]
    public void Any_other_key_is_its_utf8_bytes(string text) =>
        Assert.Equal(Encoding.UTF8.GetBytes(text), PskKeyText.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0xabc")]
    [InlineData("0xzz")]
    public void An_empty_key_or_0x_without_an_even_number_of_hex_digits_is_refused(string text) =>
        Assert.Throws<FormatException>(() => PskKeyText.Parse(text));
}

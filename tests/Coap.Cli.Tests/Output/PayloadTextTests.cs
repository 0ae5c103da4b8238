using System.Text;
using Coap.Cli.Output;
using Coap.Engine.Protocol;

namespace Coap.Cli.Tests.Output;

public sealed class PayloadTextTests
{
    [Theory]
    [InlineData(ContentFormat.TextPlain, true)]
    [InlineData(ContentFormat.LinkFormat, true)]
    [InlineData(ContentFormat.Json, true)]
    [InlineData(ContentFormat.SenmlJson, true)]
    [InlineData(ContentFormat.Xml, true)]
    [InlineData(ContentFormat.Cbor, false)]
    [InlineData(ContentFormat.OctetStream, false)]
    [InlineData(65000, false)]
    public void Content_formats_decide_text_or_binary(int contentFormat, bool text)
    {
        Assert.Equal(text, PayloadText.IsText(contentFormat, "abc"u8));
    }

    [Fact]
    public void Without_a_content_format_only_clean_utf8_is_text()
    {
        Assert.True(PayloadText.IsText(null, Encoding.UTF8.GetBytes("grüße\n")));
        Assert.False(PayloadText.IsText(null, [0xFF, 0x41]));
        Assert.False(PayloadText.IsText(null, [0x41, 0x00]));
    }

    [Fact]
    public void One_line_replaces_breaks_and_control_characters()
    {
        Assert.Equal("a b c.d", PayloadText.OneLine("a\nb\tc\u0001d\r\n"u8));
    }
}

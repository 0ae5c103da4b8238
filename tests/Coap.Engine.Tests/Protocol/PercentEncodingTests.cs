using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Protocol;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a%20b", "a b")]
    [InlineData("%41%62", "Ab")]
    [InlineData("caf%c3%a9", "café")]
    [InlineData("café", "café")]
    [InlineData("%E6%97%A5本", "日本")]
    [InlineData("", "")]
    public void TryDecode_decodes_utf8(string text, string expected)
    {
        Assert.True(PercentEncoding.TryDecode(text, out var decoded, out var error), error);
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%4")]
    [InlineData("%4G")]
    [InlineData("%%41")]
    [InlineData("%80")]
    [InlineData("%C3%28")]
    [InlineData("%ED%A0%80")]
    public void TryDecode_rejects_bad_escapes_and_bad_utf8(string text)
    {
        Assert.False(PercentEncoding.TryDecode(text, out var decoded, out var error));
        Assert.Null(decoded);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("a b/c%d", "a%20b%2Fc%25d")]
    [InlineData(".", "%2E")]
    [InlineData("..", "%2E%2E")]
    [InlineData("...", "...")]
    [InlineData("a?b#c", "a%3Fb%23c")]
    public void AppendPathSegment_encodes_outside_pchar(string segment, string expected)
    {
        var builder = new StringBuilder();
        PercentEncoding.AppendPathSegment(builder, segment);

        Assert.Equal(expected, builder.ToString());
    }

    [Fact]
    public void Lone_surrogates_are_rejected_when_decoding_and_replaced_when_encoding()
    {
        // Built in code: xunit would replace a lone surrogate in [InlineData] before the test sees it.
        var lone = new string('\uD800', 1);
        Assert.False(PercentEncoding.TryDecode(lone, out _, out _));
        Assert.False(PercentEncoding.TryDecode("a%41" + lone, out _, out _));
        Assert.False(PercentEncoding.TryDecode(lone + "\uDC00\uDC00", out _, out _));
        Assert.True(PercentEncoding.TryDecode("\uD83D\uDE00", out var emoji, out _));
        Assert.Equal("\U0001F600", emoji);

        var builder = new StringBuilder();
        PercentEncoding.AppendPathSegment(builder, lone + "x");
        Assert.Equal("%EF%BF%BDx", builder.ToString());
    }

    [Fact]
    public void AppendQueryPart_encodes_ampersand_but_not_slash_or_question_mark()
    {
        var builder = new StringBuilder();
        PercentEncoding.AppendQueryPart(builder, "a=b&c/d?e f");

        Assert.Equal("a=b%26c/d?e%20f", builder.ToString());
    }
}

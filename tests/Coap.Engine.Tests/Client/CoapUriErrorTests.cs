using Coap.Engine.Client;

namespace Coap.Engine.Tests.Client;

public sealed class CoapUriErrorTests
{
    private static string Fail(string text)
    {
        Assert.False(CoapUri.TryParse(text, out var uri, out var error));
        Assert.Null(uri);
        Assert.False(string.IsNullOrEmpty(error));
        return error;
    }

    [Theory]
    [InlineData("example.com/a", "missing scheme")]
    [InlineData("/a/b", "missing scheme")]
    [InlineData("localhost:5683/a", "missing scheme")]
    [InlineData("//h/a", "missing scheme")]
    [InlineData("1coap://h/", "missing scheme")]
    [InlineData("http://h/", "unsupported scheme 'http'")]
    [InlineData("coap+tcp://h/", "unsupported scheme 'coap+tcp'")]
    [InlineData("mailto:x@y", "unsupported scheme 'mailto'")]
    [InlineData("coap:/a", "needs '//' and a host")]
    [InlineData("coap:h/a", "needs '//' and a host")]
    [InlineData("coap://h/a#frag", "fragment")]
    [InlineData("coap://h/#", "fragment")]
    [InlineData("coap://h/a?x#y", "fragment")]
    [InlineData("coap:///a", "no host")]
    [InlineData("coap://", "no host")]
    [InlineData("coap://:5683/", "no host")]
    [InlineData("coap://h:0/", "bad port '0'")]
    [InlineData("coap://h:65536/", "bad port '65536'")]
    [InlineData("coap://h:99999999999999/", "bad port")]
    [InlineData("coap://h:12a/", "bad port '12a'")]
    [InlineData("coap://h:-1/", "bad port")]
    [InlineData("coap://[::1]:x/", "bad port 'x'")]
    [InlineData("coap://h/a%", "bad percent-encoding in path segment")]
    [InlineData("coap://h/a%2", "bad percent-encoding in path segment")]
    [InlineData("coap://h/a%zz", "bad percent-encoding in path segment")]
    [InlineData("coap://h/%FF", "not valid UTF-8")]
    [InlineData("coap://h/%C3", "not valid UTF-8")]
    [InlineData("coap://h/a?x=%G0", "bad percent-encoding in query argument")]
    [InlineData("coap://h%/a", "bad percent-encoding in host")]
    [InlineData("coap://h%C3/a", "not valid UTF-8")]
    [InlineData("coap://user@h/", "user information")]
    [InlineData("coap://[::1/", "closing ']'")]
    [InlineData("coap://[::1]x/", "after the IPv6 literal")]
    [InlineData("coap://[1.2.3.4]/", "not a valid IPv6 address")]
    [InlineData("coap://[not-ipv6]/", "not a valid IPv6 address")]
    [InlineData("coap://[fe80::1%eth0]/", "not a valid IPv6 address")]
    [InlineData("coap://[fe80::1%25]/", "zone identifier")]
    [InlineData("coap://[v1.fe]/", "IPvFuture")]
    [InlineData("coap://h h/", "invalid character ' ' in host")]
    [InlineData("coap://h<x>/", "invalid character '<' in host")]
    [InlineData("coap://h/a\nb", "control character U+000A")]
    [InlineData("coap://h/\u0001", "control character U+0001")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    public void Invalid_uris_fail_with_a_clear_reason(string text, string expected)
    {
        Assert.Contains(expected, Fail(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_path_segment_is_refused()
    {
        Assert.Contains("longer than 255 bytes", Fail("coap://h/" + new string('a', 256)), StringComparison.Ordinal);
        Assert.True(CoapUri.TryParse("coap://h/" + new string('a', 255), out _, out _));
    }

    [Fact]
    public void Segment_length_counts_decoded_utf8_bytes()
    {
        // 128 × "é" is 128 characters but 256 bytes.
        Assert.Contains("longer than 255 bytes", Fail("coap://h/" + new string('é', 128)), StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_query_argument_is_refused()
    {
        Assert.Contains("query argument", Fail("coap://h/?" + new string('q', 300)), StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_host_is_refused()
    {
        Assert.Contains("1 to 255 bytes", Fail("coap://" + new string('h', 256) + "/"), StringComparison.Ordinal);
    }

    [Fact]
    public void Null_fails_without_throwing()
    {
        Assert.Contains("empty", Fail(null!), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_throws_a_format_exception_naming_the_reason()
    {
        var exception = Assert.Throws<FormatException>(() => CoapUri.Parse("http://h/"));

        Assert.Contains("unsupported scheme", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_text_never_throws()
    {
        var random = new Random(7252);
        const string alphabet = "coap:/[]%25@?#&.:hé 09fF\u0001";
        var chars = new char[30];
        for (var round = 0; round < 5000; round++)
        {
            var length = random.Next(chars.Length);
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            var text = (random.Next(2) == 0 ? "coap://" : string.Empty) + new string(chars, 0, length);
            if (CoapUri.TryParse(text, out var uri, out _))
            {
                // Whatever parses must compose to a URI that parses to the same parts.
                var again = CoapUriParseTests.Parse(uri.ToString());
                Assert.Equal(uri.Host, again.Host);
                Assert.Equal(uri.PathSegments, again.PathSegments);
                Assert.Equal(uri.QueryParts, again.QueryParts);
            }
        }
    }
}

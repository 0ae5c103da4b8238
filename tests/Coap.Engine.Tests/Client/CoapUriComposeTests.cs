using Coap.Engine.Client;

namespace Coap.Engine.Tests.Client;

public sealed class CoapUriComposeTests
{
    [Theory]
    [InlineData("coap://example.com/sensors/temp", "coap://example.com/sensors/temp")]
    [InlineData("coap://example.com", "coap://example.com/")]
    [InlineData("coap://example.com:5683/", "coap://example.com/")]
    [InlineData("coap://example.com:5684/", "coap://example.com:5684/")]
    [InlineData("coaps://example.com:5684/", "coaps://example.com/")]
    [InlineData("coaps://example.com:5683/", "coaps://example.com:5683/")]
    [InlineData("COAP://EXAMPLE.COM/A", "coap://example.com/A")]
    [InlineData("coap://h/files/dir/", "coap://h/files/dir/")]
    [InlineData("coap://h/a%2Fb/c", "coap://h/a%2Fb/c")]
    [InlineData("coap://h/a%2fb", "coap://h/a%2Fb")]
    [InlineData("coap://h/%7Euser", "coap://h/~user")]
    [InlineData("coap://h/my file.txt", "coap://h/my%20file.txt")]
    [InlineData("coap://h/café", "coap://h/caf%C3%A9")]
    [InlineData("coap://h/100%25", "coap://h/100%25")]
    [InlineData("coap://h/a:b@c;d=e,f!$'()*+", "coap://h/a:b@c;d=e,f!$'()*+")]
    [InlineData("coap://h/a%3Fb%23c", "coap://h/a%3Fb%23c")]
    [InlineData("coap://h/a/../b/./c", "coap://h/b/c")]
    [InlineData("coap://h/%2E%2E/%2e", "coap://h/%2E%2E/%2E")]
    [InlineData("coap://h/p?a=1&b=x%20y", "coap://h/p?a=1&b=x%20y")]
    [InlineData("coap://h/p?a=1%262", "coap://h/p?a=1%262")]
    [InlineData("coap://h/p?path=/x?y:z@w", "coap://h/p?path=/x?y:z@w")]
    [InlineData("coap://h/p?", "coap://h/p")]
    [InlineData("coap://h?q", "coap://h/?q")]
    [InlineData("coap://192.0.2.1:61616/x", "coap://192.0.2.1:61616/x")]
    [InlineData("coap://[2001:DB8::1]/x", "coap://[2001:db8::1]/x")]
    [InlineData("coap://[fe80::1%25eth0]:5700/", "coap://[fe80::1%25eth0]:5700/")]
    [InlineData("coap://b%C3%BCcher.example/", "coap://b%C3%BCcher.example/")]
    [InlineData("coap://Bücher.example/", "coap://b%C3%BCcher.example/")]
    [InlineData("coap://ex%41mple.com/", "coap://ex%41mple.com/")]
    public void ToString_composes_per_RFC_7252_section_6_5(string text, string expected)
    {
        Assert.Equal(expected, CoapUriParseTests.Parse(text).ToString());
    }

    [Theory]
    [InlineData("coap://h/%2E%2E/x")]
    [InlineData("coap://ex%41mple.com/")]
    [InlineData("coap://h/a%2Fb/%25/%20/")]
    [InlineData("coap://h//")]
    [InlineData("coap://h/p?&")]
    [InlineData("coap://[fe80::1%25%C3%A9]/")]
    public void Composed_text_parses_to_the_same_parts(string text)
    {
        var uri = CoapUriParseTests.Parse(text);
        var again = CoapUriParseTests.Parse(uri.ToString());

        Assert.Equal(uri.Host, again.Host);
        Assert.Equal(uri.Port, again.Port);
        Assert.Equal(uri.PathSegments, again.PathSegments);
        Assert.Equal(uri.QueryParts, again.QueryParts);
    }
}

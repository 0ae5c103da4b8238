using System.Net;
using Coap.Engine.Client;

namespace Coap.Engine.Tests.Client;

public sealed class CoapUriParseTests
{
    internal static CoapUri Parse(string text)
    {
        Assert.True(CoapUri.TryParse(text, out var uri, out var error), error);
        return uri;
    }

    [Fact]
    public void Parses_host_port_path_and_query()
    {
        var uri = Parse("coap://example.com:61616/sensors/temp?unit=c&precise");

        Assert.Equal("coap", uri.Scheme);
        Assert.False(uri.IsSecure);
        Assert.Equal("example.com", uri.Host);
        Assert.False(uri.IsHostLiteral);
        Assert.Null(uri.HostAddress);
        Assert.Equal(61616, uri.Port);
        Assert.Equal(["sensors", "temp"], uri.PathSegments);
        Assert.Equal(["unit=c", "precise"], uri.QueryParts);
    }

    [Theory]
    [InlineData("coap://h/", 5683)]
    [InlineData("coap://h", 5683)]
    [InlineData("coap://h:/", 5683)]
    [InlineData("coaps://h/", 5684)]
    [InlineData("coaps://h:5683/", 5683)]
    [InlineData("coap://h:1/", 1)]
    [InlineData("coap://h:65535/", 65535)]
    [InlineData("coap://h:05683/", 5683)]
    public void Port_defaults_by_scheme(string text, int port)
    {
        Assert.Equal(port, Parse(text).Port);
    }

    [Fact]
    public void Coaps_is_parsed_and_marked_secure()
    {
        var uri = Parse("COAPS://Example.COM/x");

        Assert.Equal("coaps", uri.Scheme);
        Assert.True(uri.IsSecure);
        Assert.Equal("example.com", uri.Host);
    }

    [Theory]
    [InlineData("coap://h", new string[0])]
    [InlineData("coap://h/", new string[0])]
    [InlineData("coap://h/a", new[] { "a" })]
    [InlineData("coap://h/a/b/c", new[] { "a", "b", "c" })]
    [InlineData("coap://h/files/dir/", new[] { "files", "dir", "" })]
    [InlineData("coap://h//", new[] { "", "" })]
    [InlineData("coap://h/a//b", new[] { "a", "", "b" })]
    [InlineData("coap://h/a%2Fb/c", new[] { "a/b", "c" })]
    [InlineData("coap://h/100%25", new[] { "100%" })]
    [InlineData("coap://h/a%20b", new[] { "a b" })]
    [InlineData("coap://h/my file.txt", new[] { "my file.txt" })]
    [InlineData("coap://h/caf%C3%A9", new[] { "café" })]
    [InlineData("coap://h/caf%c3%a9", new[] { "café" })]
    [InlineData("coap://h/café/日本", new[] { "café", "日本" })]
    [InlineData("coap://h/%F0%9F%98%80", new[] { "\U0001F600" })]
    [InlineData("coap://h/a;b=c,d", new[] { "a;b=c,d" })]
    [InlineData("coap://h/a?", new[] { "a" })]
    public void Path_segments_are_percent_decoded(string text, string[] segments)
    {
        Assert.Equal(segments, Parse(text).PathSegments);
    }

    [Theory]
    [InlineData("coap://h/a/./b", new[] { "a", "b" })]
    [InlineData("coap://h/a/../b", new[] { "b" })]
    [InlineData("coap://h/a/b/..", new[] { "a", "" })]
    [InlineData("coap://h/a/.", new[] { "a", "" })]
    [InlineData("coap://h/..", new string[0])]
    [InlineData("coap://h/../../x", new[] { "x" })]
    [InlineData("coap://h/a/..", new string[0])]
    [InlineData("coap://h/%2E%2E/x", new[] { "..", "x" })]
    public void Dot_segments_are_removed_before_decoding(string text, string[] segments)
    {
        Assert.Equal(segments, Parse(text).PathSegments);
    }

    [Theory]
    [InlineData("coap://h/p", new string[0])]
    [InlineData("coap://h/p?", new string[0])]
    [InlineData("coap://h?x", new[] { "x" })]
    [InlineData("coap://h/p?rt=core.ps*", new[] { "rt=core.ps*" })]
    [InlineData("coap://h/p?a=1&b=2", new[] { "a=1", "b=2" })]
    [InlineData("coap://h/p?a=1%262&b", new[] { "a=1&2", "b" })]
    [InlineData("coap://h/p?a&&b", new[] { "a", "", "b" })]
    [InlineData("coap://h/p?q=a+b%20c", new[] { "q=a+b c" })]
    [InlineData("coap://h/p?path=/x/y?z", new[] { "path=/x/y?z" })]
    [InlineData("coap://h/p?name=Jos%C3%A9", new[] { "name=José" })]
    public void Query_arguments_are_split_on_ampersand_and_decoded(string text, string[] parts)
    {
        Assert.Equal(parts, Parse(text).QueryParts);
    }

    [Theory]
    [InlineData("coap://192.0.2.1/", "192.0.2.1")]
    [InlineData("coap://127.0.0.1:5684/", "127.0.0.1")]
    [InlineData("coap://255.255.255.255/", "255.255.255.255")]
    public void IPv4_host_is_a_literal(string text, string address)
    {
        var uri = Parse(text);

        Assert.True(uri.IsHostLiteral);
        Assert.Equal(IPAddress.Parse(address), uri.HostAddress);
        Assert.Equal(address, uri.Host);
    }

    [Theory]
    [InlineData("coap://1.2.3/")]
    [InlineData("coap://1.2.3.4.5/")]
    [InlineData("coap://256.1.1.1/")]
    [InlineData("coap://01.2.3.4/")]
    [InlineData("coap://1.2.3.4a/")]
    public void Almost_IPv4_hosts_are_reg_names(string text)
    {
        var uri = Parse(text);

        Assert.False(uri.IsHostLiteral);
    }

    [Fact]
    public void IPv6_literal_in_brackets()
    {
        var uri = Parse("coap://[2001:DB8::1]:61616/x");

        Assert.True(uri.IsHostLiteral);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), uri.HostAddress);
        Assert.Equal("2001:db8::1", uri.Host);
        Assert.Equal(61616, uri.Port);
        Assert.Equal(["x"], uri.PathSegments);
    }

    [Fact]
    public void IPv6_literal_with_a_numeric_zone()
    {
        var uri = Parse("coap://[fe80::1%253]/");

        Assert.Equal("fe80::1%3", uri.Host);
        Assert.Equal(3L, uri.HostAddress!.ScopeId);
    }

    [Fact]
    public void IPv6_literal_with_a_named_zone_keeps_the_name()
    {
        var uri = Parse("coap://[fe80::1%25eth0]:5684");

        Assert.True(uri.IsHostLiteral);
        Assert.Equal("fe80::1%eth0", uri.Host);
        Assert.Equal(5684, uri.Port);
    }

    [Fact]
    public void IPv6_loopback()
    {
        var uri = Parse("coap://[::1]");

        Assert.Equal(IPAddress.IPv6Loopback, uri.HostAddress);
        Assert.Empty(uri.PathSegments);
    }

    [Theory]
    [InlineData("coap://EXAMPLE.com/", "example.com")]
    [InlineData("coap://ex%41mple.com/", "exAmple.com")]
    [InlineData("coap://b%C3%BCcher.example/", "bücher.example")]
    [InlineData("coap://Bücher.example/", "bücher.example")]
    [InlineData("coap://my-host_1.local/", "my-host_1.local")]
    public void Reg_name_is_lowercased_then_decoded(string text, string host)
    {
        Assert.Equal(host, Parse(text).Host);
    }

    [Fact]
    public void Surrounding_whitespace_is_ignored()
    {
        Assert.Equal(["a"], Parse("  coap://h/a \n").PathSegments);
    }
}

using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Client;

public sealed class CoapUriApplyTests
{
    private static List<(ushort Number, string Value)> Apply(string text, CoapMessage? request = null)
    {
        request ??= new CoapMessage { Code = CoapCode.Get };
        CoapUriParseTests.Parse(text).ApplyTo(request);
        var options = new List<(ushort, string)>();
        foreach (var option in request.Options)
        {
            options.Add((option.Number, option.GetString()));
        }

        return options;
    }

    [Fact]
    public void Reg_name_host_becomes_Uri_Host_and_the_path_Uri_Path()
    {
        Assert.Equal(
            [(OptionNumber.UriHost, "example.com"), (OptionNumber.UriPath, "sensors"), (OptionNumber.UriPath, "temp")],
            Apply("coap://Example.com:61616/sensors/temp"));
    }

    [Theory]
    [InlineData("coap://192.0.2.1/x")]
    [InlineData("coap://[2001:db8::1]/x")]
    [InlineData("coap://[fe80::1%25eth0]/x")]
    public void IP_literal_host_gets_no_Uri_Host(string text)
    {
        Assert.Equal([(OptionNumber.UriPath, "x")], Apply(text));
    }

    [Fact]
    public void Query_arguments_become_Uri_Query_options_in_order()
    {
        Assert.Equal(
            [(OptionNumber.UriPath, "ps"), (OptionNumber.UriQuery, "rt=core.ps*"), (OptionNumber.UriQuery, "a&b=c d")],
            Apply("coap://127.0.0.1/ps?rt=core.ps*&a%26b=c%20d"));
    }

    [Fact]
    public void Decoded_values_are_sent_as_utf8()
    {
        var request = new CoapMessage();
        CoapUriParseTests.Parse("coap://[::1]/caf%C3%A9/a%2Fb").ApplyTo(request);

        Assert.True(request.Options.TryGet(OptionNumber.UriPath, out var first));
        Assert.Equal(new byte[] { 0x63, 0x61, 0x66, 0xC3, 0xA9 }, first.Value.ToArray());
        Assert.Equal("/café/a%2Fb", request.GetUriPath());
    }

    [Fact]
    public void Root_path_and_trailing_slash()
    {
        Assert.Empty(Apply("coap://[::1]/"));
        Assert.Equal(
            [(OptionNumber.UriPath, "files"), (OptionNumber.UriPath, "dir"), (OptionNumber.UriPath, "")],
            Apply("coap://[::1]/files/dir/"));
    }

    [Fact]
    public void Port_never_becomes_Uri_Port()
    {
        Assert.DoesNotContain(Apply("coap://h:61616/x"), o => o.Number == OptionNumber.UriPort);
    }

    [Fact]
    public void Replaces_earlier_uri_options_and_keeps_the_others()
    {
        var request = CoapMessage.CreateRequest(CoapCode.Get, "/old/path");
        request.Options.Add(CoapOption.FromString(OptionNumber.UriHost, "old.example"));
        request.Options.SetUInt(OptionNumber.UriPort, 1234);
        request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, "old"));
        request.Accept = ContentFormat.LinkFormat;

        var options = Apply("coap://new.example/new", request);

        Assert.Equal(
            [(OptionNumber.UriHost, "new.example"), (OptionNumber.UriPath, "new")],
            options.FindAll(o => o.Number != OptionNumber.Accept));
        Assert.Equal(ContentFormat.LinkFormat, request.Accept);
    }
}

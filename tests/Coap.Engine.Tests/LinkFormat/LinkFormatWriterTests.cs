using System.Text;
using Coap.Engine.LinkFormat;

namespace Coap.Engine.Tests.LinkFormat;

public sealed class LinkFormatWriterTests
{
    [Fact]
    public void Writes_links_separated_by_commas()
    {
        var links = new[]
        {
            new WebLink("/a").Add("rt", "x").Add("ct", 40).Add("obs"),
            new WebLink("/b"),
        };

        Assert.Equal("</a>;rt=\"x\";ct=40;obs,</b>", LinkFormatWriter.Write(links));
    }

    [Fact]
    public void Writes_the_RFC_6690_section_5_example()
    {
        var links = new[]
        {
            new WebLink("/sensors/temp").Add("rt", "temperature-c").Add("if", "sensor"),
            new WebLink("/sensors/light").Add("rt", "light-lux").Add("if", "sensor"),
        };

        Assert.Equal(
            "</sensors/temp>;rt=\"temperature-c\";if=\"sensor\",</sensors/light>;rt=\"light-lux\";if=\"sensor\"",
            LinkFormatWriter.Write(links));
    }

    [Fact]
    public void No_links_give_an_empty_document()
    {
        Assert.Equal(string.Empty, LinkFormatWriter.Write([]));
    }

    [Theory]
    [InlineData("ct", "40", "ct=40")]
    [InlineData("sz", "123456", "sz=123456")]
    [InlineData("CT", "0", "CT=0")]
    [InlineData("ct", "0 60", "ct=\"0 60\"")]
    [InlineData("ct", "", "ct=\"\"")]
    [InlineData("ct", "abc", "ct=\"abc\"")]
    [InlineData("rt", "40", "rt=\"40\"")]
    [InlineData("title", "a,b;c", "title=\"a,b;c\"")]
    [InlineData("anchor", "/x", "anchor=\"/x\"")]
    [InlineData("rel", "alternate", "rel=\"alternate\"")]
    public void Quotes_everything_but_numeric_ct_and_sz(string name, string value, string expected)
    {
        Assert.Equal("</r>;" + expected, LinkFormatWriter.Write([new WebLink("/r").Add(name, value)]));
    }

    [Fact]
    public void Escapes_quote_and_backslash_in_quoted_strings()
    {
        var text = LinkFormatWriter.Write([new WebLink("/r").Add("title", "say \"hi\" \\o/")]);

        Assert.Equal("</r>;title=\"say \\\"hi\\\" \\\\o/\"", text);
    }

    [Fact]
    public void Percent_encodes_characters_a_target_cannot_hold_but_keeps_existing_escapes()
    {
        var text = LinkFormatWriter.Write([new WebLink("/my file>x/café/a%20b")]);

        Assert.Equal("</my%20file%3Ex/caf%C3%A9/a%20b>", text);
    }

    [Fact]
    public void Appends_to_an_existing_builder()
    {
        var builder = new StringBuilder("prefix:");

        LinkFormatWriter.Write([new WebLink("/a"), new WebLink("/b").Add("obs")], builder);

        Assert.Equal("prefix:</a>,</b>;obs", builder.ToString());
    }

    [Fact]
    public void Written_text_parses_back_to_the_same_links()
    {
        var links = new[]
        {
            new WebLink("/ps").Add("rt", "core.ps").Add("ct", 40).Add("obs").Add("title", "a \"b\", c; d\\e"),
            new WebLink("/files/x%20y").Add("ct", "0 60").Add("sz", 1024),
        };

        Assert.True(LinkFormatParser.TryParse(LinkFormatWriter.Write(links), out var parsed, out var error), error);

        Assert.Equal(2, parsed.Count);
        for (var i = 0; i < links.Length; i++)
        {
            Assert.Equal(links[i].Target, parsed[i].Target);
            Assert.Equal(links[i].Attributes, parsed[i].Attributes);
        }
    }
}

using Coap.Engine.LinkFormat;

namespace Coap.Engine.Tests.LinkFormat;

public sealed class LinkFormatParserTests
{
    private static IReadOnlyList<WebLink> Parse(string text)
    {
        Assert.True(LinkFormatParser.TryParse(text, out var links, out var error), error);
        return links;
    }

    private static string Fail(string text)
    {
        Assert.False(LinkFormatParser.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        return error;
    }

    [Fact]
    public void Parses_libcoap_server_output()
    {
        var links = Parse("</>;title=\"General Info\";ct=0,</time>;if=\"clock\";rt=\"ticks\";title=\"Internal Clock\";ct=0;obs,</async>;ct=0");

        Assert.Equal(3, links.Count);
        Assert.Equal("/", links[0].Target);
        Assert.Equal("General Info", links[0].GetAttribute("title"));
        Assert.Equal("/time", links[1].Target);
        Assert.Equal(
            [new("if", "clock"), new("rt", "ticks"), new("title", "Internal Clock"), new("ct", "0"), new LinkAttribute("obs", null)],
            links[1].Attributes);
        Assert.Equal("0", links[2].GetAttribute("ct"));
    }

    [Fact]
    public void Parses_aiocoap_style_spacing()
    {
        var links = Parse("</.well-known/core>; ct=40, </time>; obs; rt=\"tick\" , </other/block>");

        Assert.Equal(["/.well-known/core", "/time", "/other/block"], [links[0].Target, links[1].Target, links[2].Target]);
        Assert.Equal("40", links[0].GetAttribute("ct"));
        Assert.True(links[1].HasAttribute("obs"));
        Assert.Equal("tick", links[1].GetAttribute("rt"));
    }

    [Fact]
    public void Parses_links_on_separate_lines()
    {
        var links = Parse("\r\n</a>;rt=\"x\",\n</b>\n  ;ct=0,\r\n\t</c>\n");

        Assert.Equal(3, links.Count);
        Assert.Equal("0", links[1].GetAttribute("ct"));
        Assert.Equal("/c", links[2].Target);
    }

    [Fact]
    public void Quoted_values_may_hold_separators_and_escapes()
    {
        var links = Parse("</a>;title=\"x, y; z=<w>\";rt=\"say \\\"hi\\\" \\\\\",</b>");

        Assert.Equal(2, links.Count);
        Assert.Equal("x, y; z=<w>", links[0].GetAttribute("title"));
        Assert.Equal("say \"hi\" \\", links[0].GetAttribute("rt"));
    }

    [Fact]
    public void Unquoted_ptoken_values_are_read_up_to_the_next_separator()
    {
        var links = Parse("</a>;rt=core.ps;anchor=coap://h/x?y=1;sz=42,</b>;if=a<b>");

        Assert.Equal("core.ps", links[0].GetAttribute("rt"));
        Assert.Equal("coap://h/x?y=1", links[0].GetAttribute("anchor"));
        Assert.Equal("42", links[0].GetAttribute("sz"));
        Assert.Equal("a<b>", links[1].GetAttribute("if"));
    }

    [Fact]
    public void Whitespace_around_equals_is_tolerated()
    {
        var links = Parse("</a>;rt = \"x\";ct =40");

        Assert.Equal("x", links[0].GetAttribute("rt"));
        Assert.Equal("40", links[0].GetAttribute("ct"));
    }

    [Fact]
    public void Empty_quoted_value_is_an_empty_string_not_a_valueless_attribute()
    {
        var link = Assert.Single(Parse("</a>;title=\"\""));

        Assert.Equal(string.Empty, link.GetAttribute("title"));
        Assert.True(link.Attributes[0].HasValue);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n ")]
    public void Blank_document_has_no_links(string text)
    {
        Assert.Empty(Parse(text));
    }

    [Fact]
    public void Empty_list_elements_are_skipped()
    {
        Assert.Equal(2, Parse("</a>,,</b>,").Count);
    }

    [Fact]
    public void Target_is_kept_encoded()
    {
        Assert.Equal("/a%20b", Assert.Single(Parse("</a%20b>")).Target);
    }

    [Fact]
    public void Extended_value_names_parse()
    {
        var link = Assert.Single(Parse("</a>;title*=UTF-8'de'n%c3%a4chstes"));

        Assert.Equal("UTF-8'de'n%c3%a4chstes", link.GetAttribute("title*"));
    }

    [Theory]
    [InlineData("/a", "expected '<'")]
    [InlineData("</a", "never closed")]
    [InlineData("</a>;title=\"open", "unterminated quoted string")]
    [InlineData("</a>;title=\"ends in backslash\\", "unterminated quoted string")]
    [InlineData("</a>;", "expected an attribute name")]
    [InlineData("</a>;;rt=x", "expected an attribute name")]
    [InlineData("</a>;=x", "expected an attribute name")]
    [InlineData("</a>;rt=", "expected a value after 'rt='")]
    [InlineData("</a>;rt=;ct=0", "expected a value after 'rt='")]
    [InlineData("</a> </b>", "expected ',' or ';'")]
    [InlineData("</a>;rt=\"x\"y", "expected ',' or ';'")]
    [InlineData("</a>x", "expected ',' or ';'")]
    [InlineData("</a>,garbage", "expected '<'")]
    public void Malformed_input_fails_with_a_message(string text, string expected)
    {
        Assert.Contains(expected, Fail(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Error_names_the_offset()
    {
        Assert.Contains("offset 5", Fail("</a> </b>"), StringComparison.Ordinal);
    }

    [Fact]
    public void Links_read_before_an_error_are_returned()
    {
        Assert.False(LinkFormatParser.TryParse("</a>,</b>;rt=\"x", out var links, out _));

        Assert.Equal("/a", Assert.Single(links).Target);
    }

    [Fact]
    public void Null_text_fails_without_throwing()
    {
        Assert.False(LinkFormatParser.TryParse(null!, out var links, out var error));
        Assert.Empty(links);
        Assert.NotNull(error);
    }

    [Fact]
    public void Random_garbage_never_throws()
    {
        var random = new Random(6690);
        const string alphabet = "<>;,=\"\\ \t\r\n/abc*09";
        var chars = new char[40];
        for (var round = 0; round < 5000; round++)
        {
            var length = random.Next(chars.Length);
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars, 0, length);
            if (LinkFormatParser.TryParse(text, out var links, out _))
            {
                // Whatever parsed must survive a write/parse round trip unchanged.
                Assert.True(LinkFormatParser.TryParse(LinkFormatWriter.Write(links), out var again, out var error), error);
                Assert.Equal(links.Count, again.Count);
            }
        }
    }

    [Fact]
    public void A_bounded_parse_stops_after_the_most_links_it_takes()
    {
        Assert.True(LinkFormatParser.TryParse("<a>,<b>,<c>", 3, 2, out var exact, out _));
        Assert.False(LinkFormatParser.TryParse("<a>,<b>,<c>,<d>", 3, 2, out var links, out var error));

        Assert.Equal(3, exact.Count);
        Assert.Equal(["a", "b", "c"], links.Select(link => link.Target));
        Assert.Contains("more than 3 links", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bounded_parse_refuses_a_link_with_more_attributes_than_it_takes()
    {
        Assert.True(LinkFormatParser.TryParse("<a>;ct=0;sz=5", 10, 2, out _, out _));
        Assert.False(LinkFormatParser.TryParse("<a>;ct=0;sz=5;x", 10, 2, out _, out var error));

        Assert.Contains("more than 2 attributes", error, StringComparison.Ordinal);
    }
}


using Coap.Engine.LinkFormat;

namespace Coap.Engine.Tests.LinkFormat;

public sealed class WebLinkTests
{
    [Fact]
    public void Attributes_keep_their_order_and_duplicates()
    {
        var link = new WebLink("/s").Add("rt", "a").Add("obs").Add("ct", 40).Add("rt", "b");

        Assert.Equal(
            [new LinkAttribute("rt", "a"), new LinkAttribute("obs", null), new LinkAttribute("ct", "40"), new LinkAttribute("rt", "b")],
            link.Attributes);
    }

    [Fact]
    public void GetAttribute_returns_the_first_value_and_ignores_name_case()
    {
        var link = new WebLink("/s").Add("title", "one").Add("Title", "two");

        Assert.Equal("one", link.GetAttribute("TITLE"));
        Assert.Null(link.GetAttribute("rt"));
    }

    [Fact]
    public void Valueless_attribute_is_present_but_has_no_value()
    {
        var link = new WebLink("/s").Add("obs");

        Assert.True(link.HasAttribute("obs"));
        Assert.Null(link.GetAttribute("obs"));
        Assert.False(link.Attributes[0].HasValue);
        Assert.Empty(link.GetAttributeValues("obs"));
        Assert.False(link.HasAttribute("rt"));
    }

    [Fact]
    public void GetAttributeValues_splits_list_valued_attributes_across_occurrences()
    {
        var link = new WebLink("/s").Add("rt", "core.ps  core.ps.coll").Add("if", "sensor").Add("rt", "x");

        Assert.Equal(["core.ps", "core.ps.coll", "x"], link.GetAttributeValues("rt"));
        Assert.Equal(["sensor"], link.GetAttributeValues("if"));
    }

    [Fact]
    public void GetAttributeValues_splits_a_quoted_ct_list()
    {
        var link = new WebLink("/s").Add("ct", "0 60");

        Assert.Equal(["0", "60"], link.GetAttributeValues("ct"));
    }

    [Fact]
    public void GetAttributeValues_keeps_a_title_whole()
    {
        var link = new WebLink("/s").Add("title", "Hello world");

        Assert.Equal(["Hello world"], link.GetAttributeValues("title"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("r t")]
    [InlineData("rt;")]
    [InlineData("a=b")]
    [InlineData("\"q\"")]
    [InlineData("*")]
    [InlineData("a*b")]
    public void Add_rejects_names_that_would_break_the_format(string name)
    {
        Assert.Throws<ArgumentException>(() => new WebLink("/s").Add(name, "v"));
    }

    [Fact]
    public void Add_accepts_an_extended_value_name()
    {
        var link = new WebLink("/s").Add("title*", "UTF-8'en'caf%C3%A9");

        Assert.Equal("UTF-8'en'caf%C3%A9", link.GetAttribute("title*"));
    }

    [Fact]
    public void ForPath_percent_encodes_each_segment()
    {
        Assert.Equal("/a%20b/c%2Fd/caf%C3%A9/100%25", WebLink.ForPath(["a b", "c/d", "café", "100%"]).Target);
        Assert.Equal("/", WebLink.ForPath([]).Target);
        Assert.Equal("/files/dir/", WebLink.ForPath(["files", "dir", ""]).Target);
    }

    [Fact]
    public void ToString_writes_link_format()
    {
        Assert.Equal("</t>;rt=\"x\";obs", new WebLink("/t").Add("rt", "x").Add("obs").ToString());
    }
}

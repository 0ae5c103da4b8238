using Coap.Engine.LinkFormat;

namespace Coap.Engine.Tests.LinkFormat;

public sealed class LinkQueryFilterTests
{
    private static readonly WebLink PubSub = new WebLink("/ps").Add("rt", "core.ps core.ps.discover").Add("ct", 40).Add("obs");

    private static readonly WebLink File = new WebLink("/files/readme.txt").Add("ct", "0 60").Add("title", "Read me").Add("sz", 1200);

    [Theory]
    [InlineData("rt=core.ps", true)]
    [InlineData("rt=core.ps.discover", true)]
    [InlineData("rt=core.ps*", true)]
    [InlineData("rt=core*", true)]
    [InlineData("rt=*", true)]
    [InlineData("rt=core", false)]
    [InlineData("rt=core.ps.coll", false)]
    [InlineData("rt=core.ps core.ps.discover", false)]
    [InlineData("RT=core.ps", true)]
    [InlineData("rt=CORE.PS", false)]
    [InlineData("ct=40", true)]
    [InlineData("ct=4", false)]
    [InlineData("ct=4*", true)]
    [InlineData("if=sensor", false)]
    [InlineData("obs", false)]
    [InlineData("obs=", false)]
    [InlineData("obs=*", false)]
    [InlineData("rt", false)]
    [InlineData("=core.ps", false)]
    [InlineData("href=/ps", true)]
    [InlineData("href=/p*", true)]
    [InlineData("href=/ps/", false)]
    [InlineData("href=/p", false)]
    [InlineData("href=*", true)]
    public void Single_query_against_a_pubsub_link(string query, bool expected)
    {
        Assert.Equal(expected, LinkQueryFilter.Matches(PubSub, [query]));
    }

    [Theory]
    [InlineData("ct=0", true)]
    [InlineData("ct=60", true)]
    [InlineData("ct=6*", true)]
    [InlineData("ct=40", false)]
    [InlineData("title=Read me", true)]
    [InlineData("title=Read*", true)]
    [InlineData("title=Read", false)]
    [InlineData("title=me", false)]
    [InlineData("sz=1200", true)]
    [InlineData("href=/files*", true)]
    [InlineData("href=/files/readme.txt", true)]
    [InlineData("href=/files/other*", false)]
    public void Single_query_against_a_file_link(string query, bool expected)
    {
        Assert.Equal(expected, LinkQueryFilter.Matches(File, [query]));
    }

    [Fact]
    public void No_query_matches_every_link()
    {
        Assert.True(LinkQueryFilter.Matches(PubSub, []));
        Assert.True(LinkQueryFilter.Matches(new WebLink("/bare"), []));
    }

    [Fact]
    public void Every_query_must_match()
    {
        Assert.True(LinkQueryFilter.Matches(PubSub, ["rt=core.ps", "ct=40", "href=/ps"]));
        Assert.False(LinkQueryFilter.Matches(PubSub, ["rt=core.ps", "ct=0"]));
        Assert.False(LinkQueryFilter.Matches(PubSub, ["rt=core.ps", "obs"]));
    }

    [Fact]
    public void Any_occurrence_of_a_repeated_attribute_may_match()
    {
        var link = new WebLink("/r").Add("rt", "first").Add("rt", "second");

        Assert.True(LinkQueryFilter.Matches(link, ["rt=second"]));
    }

    [Fact]
    public void Value_may_contain_equals_signs()
    {
        var link = new WebLink("/r").Add("anchor", "coap://h/x?a=b");

        Assert.True(LinkQueryFilter.Matches(link, ["anchor=coap://h/x?a=b"]));
    }

    [Fact]
    public void Filters_a_document_like_a_well_known_core_request()
    {
        Assert.True(LinkFormatParser.TryParse(
            "</ps>;rt=\"core.ps\";ct=40,</ps/t1>;rt=\"core.ps.data\";obs,</time>;rt=\"clock\",</files>;ct=40",
            out var links,
            out _));
        var kept = new List<string>();
        foreach (var link in links)
        {
            if (LinkQueryFilter.Matches(link, ["rt=core.ps*"]))
            {
                kept.Add(link.Target);
            }
        }

        Assert.Equal(["/ps", "/ps/t1"], kept);
    }

    [Theory]
    [InlineData("rt=x", "rt", "x")]
    [InlineData("href=/a=b", "href", "/a=b")]
    [InlineData("ct=", "ct", "")]
    public void TryParseQuery_splits_at_the_first_equals(string query, string name, string value)
    {
        Assert.True(LinkQueryFilter.TryParseQuery(query, out var parsedName, out var parsedValue));
        Assert.Equal(name, parsedName);
        Assert.Equal(value, parsedValue);
    }

    [Theory]
    [InlineData("rt")]
    [InlineData("=x")]
    [InlineData("")]
    public void TryParseQuery_rejects_a_query_without_name_and_value(string query)
    {
        Assert.False(LinkQueryFilter.TryParseQuery(query, out _, out _));
    }
}

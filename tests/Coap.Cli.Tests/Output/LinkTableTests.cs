using Coap.Cli.Output;
using Coap.Engine.LinkFormat;

namespace Coap.Cli.Tests.Output;

public sealed class LinkTableTests
{
    [Fact]
    public void Targets_are_padded_to_one_column_and_values_with_separators_quoted()
    {
        var links = new[]
        {
            new WebLink("/a").Add("rt", "x y").Add("title", "q\"uote"),
            new WebLink("/longer").Add("obs"),
            new WebLink("/bare"),
        };

        var text = LinkTable.Format(links);

        Assert.Equal("/a       rt=\"x y\" title=\"q\\\"uote\"\n/longer  obs\n/bare\n", text);
    }

    [Fact]
    public void No_links_give_no_lines()
    {
        Assert.Equal(string.Empty, LinkTable.Format([]));
    }
}

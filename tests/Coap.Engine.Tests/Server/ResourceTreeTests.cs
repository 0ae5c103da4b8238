using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Server;

public sealed class ResourceTreeTests
{
    private static (ResourceEntry? Entry, RouteMatch Match) Route(ResourceTree tree, params string[] segments)
    {
        var request = new CoapMessage { Code = CoapCode.Get };
        request.SetUriPathSegments(segments);
        tree.TryMatch(request, out var entry, out var match);
        return (entry, match);
    }

    [Fact]
    public void Catch_all_captures_the_remaining_segments_including_a_trailing_empty_one()
    {
        var tree = new ResourceTree();
        tree.Map("files/{**path}", TestResource.Text("f"));

        var (entry, match) = Route(tree, "files", "dir", "a b", "");

        Assert.NotNull(entry);
        Assert.True(match.TryGetSegments("path", out var segments));
        Assert.Equal(["dir", "a b", ""], segments);
    }

    [Fact]
    public void Catch_all_matches_zero_segments()
    {
        var tree = new ResourceTree();
        tree.Map("files/{**path}", TestResource.Text("f"));

        var (entry, match) = Route(tree, "files");

        Assert.NotNull(entry);
        Assert.Equal(string.Empty, match["path"]);
    }

    [Fact]
    public void Literal_route_wins_over_parameter_and_catch_all()
    {
        var tree = new ResourceTree();
        var all = TestResource.Text("all");
        var param = TestResource.Text("param");
        var literal = TestResource.Text("literal");
        tree.Map("{**rest}", all);
        tree.Map("ps/{topic}", param);
        tree.Map("ps/config", literal);

        Assert.Same(literal, Route(tree, "ps", "config").Entry!.Resource);
        Assert.Same(param, Route(tree, "ps", "t1").Entry!.Resource);
        Assert.Equal("t1", Route(tree, "ps", "t1").Match["topic"]);
        Assert.Same(all, Route(tree, "other", "x").Entry!.Resource);
        Assert.Same(all, Route(tree).Entry!.Resource);
    }

    [Fact]
    public void Literal_segments_compare_exact_bytes()
    {
        var tree = new ResourceTree();
        tree.Map("time", TestResource.Text("t"));

        Assert.Null(Route(tree, "Time").Entry);
        Assert.Null(Route(tree, "time", "x").Entry);
        Assert.Null(Route(tree).Entry);
        Assert.NotNull(Route(tree, "time").Entry);
    }

    [Fact]
    public void Mapping_the_same_template_twice_names_both_owners()
    {
        var tree = new ResourceTree();
        tree.Map("/files/{**path}", TestResource.Text("a"), owner: "FileServer");

        var error = Assert.Throws<CoapConfigurationException>(() => tree.Map("files/{**path}", TestResource.Text("b"), owner: "Other"));

        Assert.Contains("FileServer", error.Message, StringComparison.Ordinal);
        Assert.Contains("Other", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{**path}", "time")]
    [InlineData("files/{**path}", "files/special")]
    [InlineData("files/{**path}", "{x}/y")]
    [InlineData("time", "{**path}")]
    public void A_catch_all_of_one_module_over_another_modules_path_names_both(string first, string second)
    {
        var tree = new ResourceTree();
        tree.Map(first, TestResource.Text("a"), owner: "FileServer");

        var error = Assert.Throws<CoapConfigurationException>(() => tree.Map(second, TestResource.Text("b"), owner: "Time"));

        Assert.Contains("FileServer", error.Message, StringComparison.Ordinal);
        Assert.Contains("Time", error.Message, StringComparison.Ordinal);
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("files/{**path}", "time")]
    [InlineData("files/{**path}", "filesystem/{**path}")]
    [InlineData("files/a/{**path}", "files")]
    public void Separate_paths_of_two_modules_map(string first, string second)
    {
        var tree = new ResourceTree();
        tree.Map(first, TestResource.Text("a"), owner: "FileServer");
        tree.Map(second, TestResource.Text("b"), owner: "Time");

        Assert.Equal(2, tree.Entries.Count);
    }

    [Fact]
    public void A_module_mounted_at_the_root_leaves_well_known_core_to_the_engine()
    {
        var tree = new ResourceTree();
        tree.Map("{**path}", TestResource.Text("a"), owner: "FileServer");
        tree.Map(".well-known/core", TestResource.Text("b"));

        Assert.NotNull(Route(tree, ".well-known", "core").Entry);
    }

    [Theory]
    [InlineData("a/{**x}/b")]
    [InlineData("a//b")]
    [InlineData("a/{x")]
    public void Malformed_templates_are_refused(string template)
    {
        var tree = new ResourceTree();

        Assert.Throws<ArgumentException>(() => tree.Map(template, TestResource.Text("x")));
    }
}

namespace Coap.Cli.Tests.Commands;

public sealed class DiscoverCommandTests
{
    [Fact]
    public async Task Discover_prints_one_aligned_line_per_link()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("discover", $"coap://127.0.0.1:{server.Port}");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("/sensors/temp  rt=temperature-c if=sensor ct=\"0 60\" title=\"Room temperature\"", lines);
        Assert.Contains("/time          rt=core.time ct=0 obs", lines);
        Assert.DoesNotContain(lines, line => line.Contains(".well-known", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rt_filters_by_resource_type()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("discover", $"coap://127.0.0.1:{server.Port}/", "--rt", "core.time", "-v");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("/time  rt=core.time ct=0 obs\n", result.Text);
        Assert.Contains("> Uri-Path: .well-known", result.Error, StringComparison.Ordinal);
        Assert.Contains("> Uri-Query: rt=core.time", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Href_and_if_filter_too()
    {
        await using var server = new CliServer();

        var byHref = await CliRun.RunAsync("discover", $"coap://127.0.0.1:{server.Port}", "--href", "/sensors/*");
        var byInterface = await CliRun.RunAsync("discover", $"coap://127.0.0.1:{server.Port}", "--if", "nothing");

        Assert.StartsWith("/sensors/temp  rt=temperature-c", byHref.Text, StringComparison.Ordinal);
        Assert.Single(byHref.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, byInterface.ExitCode);
        Assert.Empty(byInterface.Output);
    }

    [Fact]
    public async Task A_uri_with_a_path_is_asked_instead_of_well_known_core()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("discover", server.Uri("bad-links"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("</a>;rt=\"open\n", result.Text);
        Assert.StartsWith("coap: the response is not link-format (RFC 6690): unterminated quoted string", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_resource_exits_4()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("discover", server.Uri("nowhere"));

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("coap: 4.04 Not Found", result.Error, StringComparison.Ordinal);
    }
}

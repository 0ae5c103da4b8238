namespace Coap.Cli.Tests.Commands;

public sealed class UsageErrorTests
{
    [Fact]
    public async Task A_uri_without_scheme_exits_2_naming_the_problem()
    {
        var result = await CliRun.RunAsync("get", "localhost/time");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("coap: invalid URI 'localhost/time': missing scheme: the URI must start with coap:// or coaps://" + Environment.NewLine, result.Error);
    }

    [Fact]
    public async Task A_coaps_uri_without_credentials_exits_2()
    {
        var result = await CliRun.RunAsync("get", "coaps://localhost/time");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("coap: coaps:// needs DTLS credentials: -u/--identity ID and -k/--key KEY (or --key-file FILE), or --cert FILE --cert-key FILE (and --ca FILE)" + Environment.NewLine, result.Error);
    }

    [Theory]
    [InlineData("--content-format", "text/nonsense")]
    [InlineData("--content-format", "70000")]
    [InlineData("--accept", "-1")]
    public async Task A_bad_content_format_exits_2(string option, string value)
    {
        var result = await CliRun.RunAsync("put", "coap://127.0.0.1/x", "-e", "a", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("coap: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(value, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("soon")]
    public async Task A_bad_timeout_exits_2(string value)
    {
        var result = await CliRun.RunAsync("get", "coap://127.0.0.1/x", "--timeout", value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("coap: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_file_exits_2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coap-cli-{Guid.NewGuid():N}", "missing.bin");

        var result = await CliRun.RunAsync("put", "coap://127.0.0.1/x", "--file", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"coap: cannot read '{path}': no such file" + Environment.NewLine, result.Error);
    }

    [Fact]
    public async Task An_unwritable_output_file_exits_2()
    {
        await using var server = new CliServer();
        var path = Path.Combine(Path.GetTempPath(), $"coap-cli-{Guid.NewGuid():N}", "out.bin");

        var result = await CliRun.RunAsync("get", server.Uri("text"), "-o", path);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"coap: cannot write '{path}'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payload_and_file_together_exit_2()
    {
        var result = await CliRun.RunAsync("post", "coap://127.0.0.1/x", "--payload", "a", "--file", "b");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--payload and --file cannot be used together", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("get")]
    [InlineData("get", "coap://127.0.0.1/x", "--bogus")]
    [InlineData("get", "coap://127.0.0.1/x", "--payload", "a")]
    [InlineData("observe", "coap://127.0.0.1/x", "--count", "0")]
    [InlineData("observe", "coap://127.0.0.1/x", "--duration", "soon")]
    [InlineData("get", "coap://127.0.0.1/x", "--block-size", "100")]
    public async Task Malformed_command_lines_exit_2(params string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("coap: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Help_lists_the_commands_on_stdout_and_exits_0()
    {
        var result = await CliRun.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "get", "put", "post", "delete", "fetch", "discover" })
        {
            Assert.Contains(command, result.Text, StringComparison.Ordinal);
        }
    }
}

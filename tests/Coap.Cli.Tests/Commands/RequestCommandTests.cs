using System.Text;

namespace Coap.Cli.Tests.Commands;

public sealed class RequestCommandTests
{
    [Fact]
    public async Task Get_prints_a_text_payload_with_a_final_line_break()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("get", server.Uri("text"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello world\n", result.Text);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Put_sends_the_payload_and_its_content_format()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("put", server.Uri("echo"), "--payload", "{\"on\":true}", "--content-format", "application/json", "-v");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"on\":true}\n", result.Text);
        Assert.Contains("> CON PUT", result.Error, StringComparison.Ordinal);
        Assert.Contains("< Content-Format: 50 (application/json)", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("post")]
    [InlineData("fetch")]
    public async Task Post_and_fetch_send_a_payload_too(string method)
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync(method, server.Uri("echo"), "-e", "abc", "-t", "0");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("abc\n", result.Text);
    }

    [Fact]
    public async Task File_uploads_the_bytes_of_a_file_unchanged()
    {
        await using var server = new CliServer();
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, CliServer.AllBytes);

            var result = await CliRun.RunAsync("put", server.Uri("echo"), "--file", path, "--content-format", "42");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(CliServer.AllBytes, result.Output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task File_dash_reads_the_payload_from_stdin()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunWithInputAsync(Encoding.UTF8.GetBytes("from stdin"), "post", server.Uri("echo"), "-f", "-", "-t", "text/plain");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("from stdin\n", result.Text);
    }

    [Fact]
    public async Task Binary_payloads_reach_stdout_byte_for_byte()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("get", server.Uri("binary"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(CliServer.AllBytes, result.Output);
    }

    [Fact]
    public async Task Output_writes_the_payload_to_a_file_with_binary_bytes_intact()
    {
        await using var server = new CliServer();
        var path = Path.Combine(Path.GetTempPath(), $"coap-cli-{Guid.NewGuid():N}.bin");
        try
        {
            var result = await CliRun.RunAsync("get", server.Uri("binary"), "-o", path);

            Assert.Equal(0, result.ExitCode);
            Assert.Empty(result.Output);
            Assert.Equal(CliServer.AllBytes, await File.ReadAllBytesAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Non_sends_a_non_confirmable_request()
    {
        await using var server = new CliServer();

        var confirmable = await CliRun.RunAsync("get", server.Uri("type"));
        var non = await CliRun.RunAsync("get", server.Uri("type"), "--non", "-v");

        Assert.Equal("Confirmable\n", confirmable.Text);
        Assert.Equal("NonConfirmable\n", non.Text);
        Assert.Contains("> NON GET", non.Error, StringComparison.Ordinal);
        Assert.Contains("< NON 2.05 Content", non.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_takes_a_number_or_a_name()
    {
        await using var server = new CliServer();

        var byName = await CliRun.RunAsync("get", server.Uri("accept"), "--accept", "cbor");
        var byNumber = await CliRun.RunAsync("get", server.Uri("accept"), "-A", "50");

        Assert.Equal("60\n", byName.Text);
        Assert.Equal("50\n", byNumber.Text);
    }

    [Fact]
    public async Task The_query_of_the_uri_becomes_uri_query_options()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("get", server.Uri("query?a=1&b=x%20y"));

        Assert.Equal("a=1&b=x y\n", result.Text);
    }

    [Fact]
    public async Task Verbose_traces_type_code_options_and_payload_size_on_stderr_only()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("get", server.Uri("text"), "--verbose");

        Assert.Equal("hello world\n", result.Text);
        Assert.Contains($"> CON GET to 127.0.0.1:{server.Port}", result.Error, StringComparison.Ordinal);
        Assert.Contains("> Uri-Path: text", result.Error, StringComparison.Ordinal);
        Assert.Contains("< ACK 2.05 Content", result.Error, StringComparison.Ordinal);
        Assert.Contains("< Content-Format: 0 (text/plain; charset=utf-8)", result.Error, StringComparison.Ordinal);
        Assert.Contains("< payload: 11 bytes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_exits_0_on_2xx()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("delete", server.Uri("echo"));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("100")]
    [InlineData("2048")]
    public async Task Block_size_must_be_a_power_of_two_from_16_to_1024(string size)
    {
        var result = await CliRun.RunAsync("get", "coap://127.0.0.1/x", "--block-size", size);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("invalid block size", result.Error, StringComparison.Ordinal);
    }
}

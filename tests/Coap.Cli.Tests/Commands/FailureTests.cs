namespace Coap.Cli.Tests.Commands;

public sealed class FailureTests
{
    [Fact]
    public async Task Not_found_exits_4_with_the_code_on_stderr()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("get", server.Uri("missing"));

        Assert.Equal(4, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.StartsWith("coap: 4.04 Not Found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_error_exits_5_with_the_diagnostic_payload_on_one_line()
    {
        await using var server = new CliServer();

        var result = await CliRun.RunAsync("get", server.Uri("broken"));

        Assert.Equal(5, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Equal("coap: 5.00 Internal Server Error: disk on fire" + Environment.NewLine, result.Error);
    }

    [Fact]
    public async Task No_answer_exits_1_within_the_timeout()
    {
        using var silent = new SilentPeer();
        var started = TimeProvider.System.GetTimestamp();

        var result = await CliRun.RunAsync("get", $"coap://127.0.0.1:{silent.Port}/time", "--timeout", "0.5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"coap: no response from 127.0.0.1:{silent.Port} within 0.5 s" + Environment.NewLine, result.Error);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Reset_exits_1()
    {
        using var peer = new SilentPeer();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reset = peer.ResetFirstMessageAsync(bound.Token);

        var result = await CliRun.RunAsync("get", $"coap://127.0.0.1:{peer.Port}/x", "--timeout", "10");
        await reset;

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"coap: 127.0.0.1:{peer.Port} answered the request with RST" + Environment.NewLine, result.Error);
    }
}

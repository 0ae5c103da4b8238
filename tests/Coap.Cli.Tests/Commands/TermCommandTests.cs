using Coap.Cli.Term;

namespace Coap.Cli.Tests.Commands;

/// <summary>`coap term` without a terminal service: usage errors, the refusal of a server without one, and the --exec line.</summary>
public sealed class TermCommandTests : IAsyncLifetime
{
    private readonly CliServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Exec_with_attach_is_a_usage_error()
    {
        var result = await CliRun.RunAsync("term", "--attach", "coap://127.0.0.1/term/ab/", "--exec", "true");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--exec", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_a_terminal_service_answers_4_04_and_term_exits_4()
    {
        var result = await CliRun.RunAsync("term", $"coap://127.0.0.1:{_server.Port}/term/", "--exec", "true");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("coap: 4.04 Not Found" + Environment.NewLine, result.Error);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("exit 3", "exit 3")]
    [InlineData("echo 'a b'", "echo '\\''a b'\\''")]
    public void Exec_sends_one_line_that_silences_the_echo_marks_the_start_and_replaces_the_shell(string command, string quoted)
    {
        var line = ExecTerm.Line(command);

        Assert.StartsWith("stty -echo -onlcr -icrnl ", line, StringComparison.Ordinal);
        Assert.EndsWith($"; printf '\\036'; exec /bin/sh -c '{quoted}'\n", line, StringComparison.Ordinal);
        Assert.Single(line, '\n');
    }
}

using System.Formats.Cbor;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Testing;
using Interop.Tests.Infrastructure;
using Services.Terminal;

namespace Interop.Tests.Terminal;

/// <summary>
/// `coap term` as a user runs it: in a real terminal (a tmux window), against the terminal service on real UDP, and
/// `--exec` as a script runs it. Every test ends with no session process left.
/// </summary>
public sealed class CoapTermTests : IAsyncLifetime
{
    private static readonly string Coap = Path.Combine(AppContext.BaseDirectory, "coap.dll");
    private readonly string _scratch = Directory.CreateTempSubdirectory("coap-term-").FullName;
    private readonly IReadOnlyList<int> _before = ProcessTable.SessionLeadingChildren();
    private UdpModuleServer _server = null!;

    public Task InitializeAsync()
    {
        Tool.Find("tmux");
        _server = new UdpModuleServer(new TerminalModule(), new Dictionary<string, string?> { ["Modules:Terminal:Command"] = "/bin/sh" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
        Assert.Empty(ProcessTable.SessionLeadingChildren().Except(_before));
    }

    private string Service => _server.BaseUri + "/term/";

    [Fact]
    public async Task In_a_real_terminal_a_command_runs_the_window_size_is_forwarded_and_exit_ends_with_its_status()
    {
        await using var tmux = await Tmux.StartAsync(Wrapped($"dotnet {Coap} term {Service}"), columns: 100, rows: 30);
        await WaitForPromptAsync(tmux);

        await tmux.SendKeysAsync("echo hello-$((6*7)); stty size; tty", "Enter");
        await tmux.WaitForScreenAsync("hello-42");
        var screen = await tmux.WaitForScreenAsync("/dev/pts/");
        await tmux.SendKeysAsync("exit 5", "Enter");
        await tmux.WaitForSignalAsync("ended");

        Assert.Contains("echo hello-$((6*7)); stty size; tty", screen, StringComparison.Ordinal);
        Assert.Contains("\n30 100\n", screen, StringComparison.Ordinal);
        Assert.Equal("5", (await File.ReadAllTextAsync(Path.Combine(_scratch, "rc"))).Trim());
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_scratch, "before")), await File.ReadAllTextAsync(Path.Combine(_scratch, "after")));
    }

    [Fact]
    public async Task Ctrl_close_bracket_leaves_the_session_running_restores_the_terminal_and_attach_returns_to_it()
    {
        await using var tmux = await Tmux.StartAsync(Wrapped($"dotnet {Coap} term {Service}"), columns: 80, rows: 24);
        await WaitForPromptAsync(tmux);
        await tmux.SendKeysAsync("echo first-$((1+1))", "Enter");
        await tmux.WaitForScreenAsync("first-2\n");

        await tmux.SendKeysAsync("C-]");
        await tmux.WaitForSignalAsync("ended");
        var notice = await File.ReadAllTextAsync(Path.Combine(_scratch, "stderr"));
        var session = notice.Split(' ').First(word => word.StartsWith("coap://", StringComparison.Ordinal));
        await using var again = await Tmux.StartAsync(Wrapped($"dotnet {Coap} term --attach {session}", "2"), columns: 80, rows: 24);
        await again.WaitForScreenAsync("first-2\n");
        await again.SendKeysAsync("echo second-$((2+2)); exit 0", "Enter");
        await again.WaitForSignalAsync("ended");

        Assert.Equal("0", (await File.ReadAllTextAsync(Path.Combine(_scratch, "rc"))).Trim());
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_scratch, "before")), await File.ReadAllTextAsync(Path.Combine(_scratch, "after")));
        Assert.Equal("0", (await File.ReadAllTextAsync(Path.Combine(_scratch, "rc2"))).Trim());
    }

    [Fact]
    public async Task Exec_prints_only_the_commands_output_and_exits_with_its_status()
    {
        var hello = await Tool.RunAsync("dotnet", [Coap, "term", Service, "--exec", "echo 'hello'-$((6*7)); tty"]);
        var three = await Tool.RunAsync("dotnet", [Coap, "term", Service, "--exec", "exit 3"]);

        Assert.True(hello.ExitCode == 0, hello.StandardError);
        Assert.Matches(@"^hello-42\n/dev/pts/\d+\n$", hello.StandardOutput);
        Assert.Equal(3, three.ExitCode);
        Assert.Equal(string.Empty, three.StandardOutput);
    }

    [Fact]
    public async Task Exec_forwards_standard_input_byte_for_byte_and_its_end_as_end_of_file_even_through_a_small_input_queue()
    {
        var text = "a line\r\nctrl-c \u0003 ctrl-d \u0004 ctrl-v \u0016 ctrl-z \u001a tab\t nul \0 no newline at the end"u8.ToArray();
        var binary = new byte[200_000];
        new Random(9953).NextBytes(binary);
        await using var narrow = new UdpModuleServer(new TerminalModule(), new Dictionary<string, string?>
        {
            ["Modules:Terminal:Command"] = "/bin/sh",
            ["Modules:Terminal:InputQueueBytes"] = "100",
        });

        var cat = await Tool.RunAsync("dotnet", [Coap, "term", Service, "--exec", "cat"], input: text);
        var sum = await Tool.RunAsync("dotnet", [Coap, "term", narrow.BaseUri + "/term/", "--exec", "sha256sum; exit 4"], input: binary);

        Assert.True(cat.ExitCode == 0, cat.StandardError);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(text), cat.StandardOutput);
        Assert.Equal(4, sum.ExitCode);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(binary)) + "  -\n", sum.StandardOutput);
    }

    [Fact]
    public async Task Without_a_terminal_the_interactive_form_is_a_usage_error_and_starts_nothing()
    {
        var result = await Tool.RunAsync("dotnet", [Coap, "term", Service]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--exec", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(ProcessTable.SessionLeadingChildren().Except(_before));
    }

    /// <summary>The remote shell's prompt ("# " for root, "$ " otherwise; tmux trims the trailing space) at the bottom of the text.</summary>
    private static Task<string> WaitForPromptAsync(Tmux tmux) =>
        tmux.WaitForScreenAsync(screen => screen.TrimEnd().EndsWith('#') || screen.TrimEnd().EndsWith('$'), "a shell prompt");

    /// <summary>
    /// The window's command: note the terminal settings, run `coap term`, note its exit status, its stderr and the
    /// terminal settings after it, then signal "ended" (<paramref name="suffix"/> tells a second run's files apart).
    /// </summary>
    private string Wrapped(string command, string suffix = "") =>
        $"stty -g > {_scratch}/before{suffix}; {command} 2> {_scratch}/stderr{suffix}; echo $? > {_scratch}/rc{suffix}; stty -g > {_scratch}/after{suffix}; tmux wait-for -S ended";
}

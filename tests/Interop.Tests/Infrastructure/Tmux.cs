using System.Diagnostics;
using System.Globalization;

namespace Interop.Tests.Infrastructure;

/// <summary>
/// A tmux server of its own (a unique -L socket) with one detached window of a fixed size, for driving a full-screen
/// program the way a user at a terminal does: send keys, read the screen. Disposing kills the server.
/// </summary>
public sealed class Tmux : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private Tmux(string socket)
    {
        Socket = socket;
    }

    public string Socket { get; }

    /// <summary>Starts a server whose only window (columns x rows) runs <paramref name="shellCommand"/> under /bin/sh.</summary>
    public static async Task<Tmux> StartAsync(string shellCommand, int columns, int rows)
    {
        var tmux = new Tmux("coap-test-" + Guid.NewGuid().ToString("N")[..12]);
        var started = await tmux.RunAsync("new-session", "-d", "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture), shellCommand);
        Assert.True(started.ExitCode == 0, started.StandardError);
        return tmux;
    }

    public Task<ProcessResult> SendKeysAsync(params string[] keys) => RunAsync(["send-keys", .. keys]);

    /// <summary>The visible screen as text.</summary>
    public async Task<string> CaptureAsync() => (await RunAsync("capture-pane", "-p")).StandardOutput;

    /// <summary>
    /// Waits until the screen shows <paramref name="text"/>. tmux reports no screen changes, so this polls the screen in
    /// a bounded loop with a short pause; it fails with the last screen after a bounded time.
    /// </summary>
    public Task<string> WaitForScreenAsync(string text) => WaitForScreenAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"'{text}'");

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>, polled as <see cref="WaitForScreenAsync(string)"/> does.</summary>
    public async Task<string> WaitForScreenAsync(Func<string, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var screen = await CaptureAsync();
            if (condition(screen))
            {
                return screen;
            }

            if (deadline.Elapsed > Patience)
            {
                Assert.Fail($"The screen did not show {what} within {Patience.TotalSeconds} s; it showed:\n{screen}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Waits for a `tmux wait-for -S channel` from inside the window (an event, not a poll).</summary>
    public async Task WaitForSignalAsync(string channel)
    {
        var waited = await RunAsync(Patience, "wait-for", channel);
        Assert.Equal(0, waited.ExitCode);
    }

    public async ValueTask DisposeAsync() => await RunAsync("kill-server");

    private Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(Patience, arguments);

    private async Task<ProcessResult> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var info = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(Socket);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["TERM"] = "xterm-256color";
        info.Environment.Remove("TMUX");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start tmux.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tmux {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}

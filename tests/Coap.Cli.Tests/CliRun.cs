namespace Coap.Cli.Tests;

/// <summary>Runs the command line in-process with captured stdout, stderr and a given stdin.</summary>
internal static class CliRun
{
    /// <summary>A bound on every run: a server that never answers ends the run (exit 130) instead of the test run.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync([], args);

    /// <summary>Runs with standard output going to <paramref name="output"/>, which the test can watch while the command runs.</summary>
    public static Task<CliResult> RunWatchedAsync(WatchedOutput output, params string[] args) => RunAsync([], null, args, output);

    public static Task<CliResult> RunWithInputAsync(byte[] input, params string[] args) => RunAsync(input, null, args);

    /// <summary>Runs with a stand-in for the system clock, so `time --set` never touches the real one.</summary>
    public static Task<CliResult> RunWithClockAsync(Coap.Cli.Clock.IClockStepper clock, params string[] args) => RunAsync([], clock, args);

    private static async Task<CliResult> RunAsync(byte[] input, Coap.Cli.Clock.IClockStepper? clock, string[] args, MemoryStream? watched = null)
    {
        using var output = watched ?? new MemoryStream();
        using var error = new StringWriter();
        using var stdin = new MemoryStream(input);
        using var limit = new CancellationTokenSource(Limit);
        var console = new CliConsole(output, error, stdin);
        if (clock is not null)
        {
            console = console with { Clock = clock };
        }

        var exitCode = await CliApp.RunAsync(args, console, limit.Token);
        return new CliResult(exitCode, output.ToArray(), error.ToString());
    }
}

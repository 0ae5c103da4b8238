namespace Coap.Cli.Tests;

/// <summary>Runs the command line in-process with captured stdout, stderr and a given stdin.</summary>
internal static class CliRun
{
    /// <summary>A bound on every run: a server that never answers ends the run (exit 130) instead of the test run.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync([], args);

    public static async Task<CliResult> RunWithInputAsync(byte[] input, params string[] args)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        using var stdin = new MemoryStream(input);
        using var limit = new CancellationTokenSource(Limit);
        var exitCode = await CliApp.RunAsync(args, new CliConsole(output, error, stdin), limit.Token);
        return new CliResult(exitCode, output.ToArray(), error.ToString());
    }
}

using System.Diagnostics;

namespace Coap.Cli.Mount;

/// <summary>
/// What <c>coap mount</c> does without --foreground, as sshfs users expect: it starts itself again with --foreground
/// in a session of its own (setsid: no terminal's Ctrl+C or hang-up reaches it), waits until the mount appears and
/// returns. fork() alone cannot be used: the .NET runtime does not survive it. A child that fails before mounting
/// has its error shown and its exit code returned.
/// </summary>
internal static class Detached
{
    private static readonly TimeSpan MountWait = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IEnumerable<string> arguments, string mountPoint, CliConsole console, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : Environment.ProcessPath!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (info.FileName == "/usr/bin/setsid")
        {
            info.ArgumentList.Add(Environment.ProcessPath!);
        }

        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Run with dotnet: the child needs the same assembly (a native coap needs nothing more than its own path).
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, typeof(Detached).Assembly.GetName().Name + ".dll"));
        }

        foreach (var argument in arguments.Append("--foreground"))
        {
            info.ArgumentList.Add(argument);
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("could not start the mount process");
        var errors = child.StandardError.ReadToEndAsync(cancellationToken);
        using var table = new MountTableWatch();
        var started = Stopwatch.StartNew();
        var exited = child.WaitForExitAsync(cancellationToken);
        while (!MountTable.IsMounted(mountPoint))
        {
            if (child.HasExited)
            {
                await console.Error.WriteAsync(await errors.ConfigureAwait(false)).ConfigureAwait(false);
                return child.ExitCode;
            }

            var remaining = MountWait - started.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                child.Kill();
                console.ReportError($"the mount did not appear on {mountPoint} within {MountWait.TotalSeconds:0} s");
                return ExitCode.NoResponse;
            }

            await Task.WhenAny(table.NextChangeAsync(remaining), exited).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return ExitCode.Success;
    }
}

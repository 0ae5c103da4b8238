using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Interop.Tests.Infrastructure;

/// <summary>The CoapHost program started as a real process on 127.0.0.1 and a free port.</summary>
internal static partial class HostProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "CoapHost.dll");

    /// <summary>Starts the host with <paramref name="settings"/> ("--Key=value") on loopback and port 0.</summary>
    public static Process Start(params string[] settings) =>
        Tool.Start("dotnet", [Dll, "--Coap:Address=127.0.0.1", "--Coap:Port=0", .. settings]);

    /// <summary>The port from the host's "listening on" line; the rest of its output is drained.</summary>
    public static async Task<int> ReadPortAsync(Process process)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("CoapHost ended without reporting its address.");
    }

    /// <summary>Sends SIGTERM, as a service manager would.</summary>
    public static async Task TerminateAsync(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}

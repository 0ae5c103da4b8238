using System.Diagnostics;

namespace Interop.Tests.Infrastructure;

/// <summary>
/// aiocoap 0.4.12 (python3-aiocoap from bookworm-backports) run with Debian's python, the lakers stand-in on
/// PYTHONPATH, and the OSCORE transport forced on: without AIOCOAP_*_TRANSPORT it leaves OSCORE out and sends plaintext.
/// </summary>
internal static class Aiocoap
{
    public static string StandIn => Path.Combine(AppContext.BaseDirectory, "Oscore", "LakersStandIn");

    /// <summary>
    /// Starts an aiocoap program (aiocoap-client, aiocoap-fileserver) or a script of this folder's (a rooted path) with
    /// its output redirected.
    /// </summary>
    public static Process Start(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.IsPathRooted(program) ? program : "/usr/bin/" + program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PYTHONPATH"] = StandIn;
        info.Environment["PYTHONUNBUFFERED"] = "1";
        info.Environment["AIOCOAP_CLIENT_TRANSPORT"] = "oscore:udp6";
        info.Environment["AIOCOAP_SERVER_TRANSPORT"] = "oscore:udp6";
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    /// <summary>Runs aiocoap-client to its end (bounded) and returns its exit code, output and errors.</summary>
    public static async Task<ProcessResult> ClientAsync(params string[] arguments)
    {
        using var process = Start("aiocoap-client", arguments);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aiocoap-client {string.Join(' ', arguments)} did not finish.");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A credentials file naming the context folder directly under the URI pattern (a ":name" reference does not work).</summary>
    public static string Credentials(string directory, int port, string contextFolder)
    {
        var path = Path.Combine(directory, "credentials.json");
        File.WriteAllText(path, "{\"coap://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/*\": {\"oscore\": {\"basedir\": \"" + contextFolder + "/\"}}}");
        return path;
    }
}

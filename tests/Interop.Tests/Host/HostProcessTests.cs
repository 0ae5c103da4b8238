using System.Diagnostics;
using System.Text.RegularExpressions;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Host;

/// <summary>The CoapHost program as a user runs it: a real process, real UDP, real signals.</summary>
public sealed partial class HostProcessTests
{
    private static string HostDll => Path.Combine(AppContext.BaseDirectory, "CoapHost.dll");

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    [Fact]
    public async Task Host_answers_and_stops_gracefully_on_sigterm()
    {
        using var process = Tool.Start("dotnet", [HostDll, "--Coap:Address=127.0.0.1", "--Coap:Port=0"]);
        try
        {
            var port = await ReadPortAsync(process);
            await using (var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) }))
            {
                var response = await client.GetAsync($"coap://127.0.0.1:{port}/.well-known/core");
                Assert.Equal(CoapCode.Content, response.Code);
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(wait.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Bad_setting_stops_the_program_with_exit_code_2_naming_the_key()
    {
        var result = await Tool.RunAsync("dotnet", [HostDll, "--Coap:Port=99999"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Coap:Port", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task<int> ReadPortAsync(Process process)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("CoapHost ended without reporting its address.");
    }
}

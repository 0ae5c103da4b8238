using System.Diagnostics;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Oscore;

/// <summary>
/// RFC 8613 §B.1.2 with aiocoap-client: our host (CoapHost, a real process) is killed with SIGKILL after serving an
/// OSCORE request, so its stored replay window is "unknown"; restarted on the same context folder, it answers
/// aiocoap's next request with a protected 4.01 + Echo, and aiocoap's repeat with the Echo succeeds.
/// </summary>
public sealed class AiocoapAfterServerCrashTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aiocoap-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task After_kill_9_and_a_restart_aiocoap_s_next_request_succeeds_through_the_echo_round_trip()
    {
        var server = AiocoapClientAgainstOurServerTests.ContextFolder(_directory, "server", AiocoapClientAgainstOurServerTests.C1ServerSettings);
        var client = AiocoapClientAgainstOurServerTests.ContextFolder(_directory, "client", AiocoapClientAgainstOurServerTests.C1ClientSettings);
        var port = Tool.FreeUdpPort();
        var credentials = Aiocoap.Credentials(_directory, port, client);
        string[] settings = [$"--Coap:Port={port}", $"--Coap:Oscore:Contexts:c1={server}", "--Modules:PubSub:StateDirectory="];

        ProcessResult before;
        using (var first = await StartHostAsync(settings))
        {
            before = await Aiocoap.ClientAsync("-v", "--credentials", credentials, $"coap://127.0.0.1:{port}/.well-known/core");
            first.Kill();
            await first.WaitForExitAsync();
        }

        ProcessResult after;
        using (var second = await StartHostAsync(settings))
        {
            after = await Aiocoap.ClientAsync("-v", "--credentials", credentials, $"coap://127.0.0.1:{port}/.well-known/core");
            await HostProcess.TerminateAsync(second);
            await second.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        }

        Assert.Equal(0, before.ExitCode);
        Assert.Contains("</time>", before.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("B.1.2", before.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("</time>", after.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("B.1.2 recovery", after.StandardError, StringComparison.Ordinal);
    }

    private static async Task<Process> StartHostAsync(string[] settings)
    {
        var process = Tool.Start("dotnet", [HostProcess.Dll, "--Coap:Address=127.0.0.1", .. settings]);
        await HostProcess.ReadPortAsync(process);
        return process;
    }
}

using System.Formats.Cbor;
using System.Globalization;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Testing;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Host;

/// <summary>
/// The terminal module switched on in the CoapHost program, as a user runs it: `coap term --exec` gets the command's
/// status, and SIGTERM to the host hangs up a running session, so no process of it outlives the host.
/// </summary>
public sealed class TerminalInHostTests
{
    private static string CoapDll => Path.Combine(AppContext.BaseDirectory, "coap.dll");

    [Fact]
    public async Task Exec_runs_in_the_host_and_stopping_the_host_ends_every_session_process()
    {
        using var host = HostProcess.Start("--Modules:Terminal:Enabled=true", "--Modules:Terminal:Command=/bin/sh");
        try
        {
            var baseUri = $"coap://127.0.0.1:{await HostProcess.ReadPortAsync(host)}/term/";
            var exec = await Tool.RunAsync("dotnet", [CoapDll, "term", baseUri, "--exec", "echo in-host-$((6*7)); exit 3"], TimeSpan.FromSeconds(60));

            int shell;
            await using (var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) }))
            {
                var created = await client.PostAsync(baseUri, ReadOnlyMemory<byte>.Empty);
                Assert.Equal(CoapCode.Created, created.Code);
                var status = await client.GetAsync($"coap://127.0.0.1:{new Uri(baseUri).Port}{created.GetLocationPath()}status");
                shell = PidOf(status);
            }

            Assert.True(ProcessTable.SessionMembers(shell).Count > 0, "the session's shell runs");
            await HostProcess.TerminateAsync(host);

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.WaitForExitAsync(wait.Token);

            Assert.Equal(3, exec.ExitCode);
            Assert.Equal("in-host-42\n", exec.StandardOutput);
            Assert.Equal(0, host.ExitCode);
            Assert.Empty(ProcessTable.SessionMembers(shell));
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    private static int PidOf(CoapMessage status)
    {
        Assert.Equal(CoapCode.Content, status.Code);
        var reader = new CborReader(status.Payload);
        var count = reader.ReadStartMap();
        for (var i = 0; i < count; i++)
        {
            if (reader.ReadTextString() == "pid")
            {
                return reader.ReadInt32();
            }

            reader.SkipValue();
        }

        throw new InvalidOperationException("the status has no pid");
    }
}

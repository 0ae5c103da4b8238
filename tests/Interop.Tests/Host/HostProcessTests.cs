using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Host;

/// <summary>The CoapHost program as a user runs it: a real process, real UDP, real signals.</summary>
public sealed class HostProcessTests
{
    [Fact]
    public async Task Host_answers_and_stops_gracefully_on_sigterm()
    {
        using var process = HostProcess.Start();
        try
        {
            var port = await HostProcess.ReadPortAsync(process);
            await using (var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) }))
            {
                var response = await client.GetAsync($"coap://127.0.0.1:{port}/.well-known/core");
                Assert.Equal(CoapCode.Content, response.Code);
            }

            await HostProcess.TerminateAsync(process);

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

    [Theory]
    [InlineData("--Coap:Port=99999", "Coap:Port")]
    [InlineData("--Modules:Terminal:Enabled=true --Modules:Terminal:MaxSessions=0", "Modules:Terminal:MaxSessions")]
    public async Task Bad_setting_stops_the_program_with_exit_code_2_and_one_line_naming_the_key(string arguments, string key)
    {
        var result = await Tool.RunAsync("dotnet", [HostProcess.Dll, .. arguments.Split(' ')]);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"^coap-host: configuration error: [^\n]*{key}[^\n]*\n$", result.StandardError);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task A_port_already_taken_stops_the_program_with_exit_code_2_and_one_line_naming_address_and_port()
    {
        using var taken = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)taken.Client.LocalEndPoint!).Port;

        var result = await Tool.RunAsync("dotnet", [HostProcess.Dll, "--Coap:Address=127.0.0.1", $"--Coap:Port={port}"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"^coap-host: configuration error: [^\n]*127\.0\.0\.1[^\n]*Coap:Port {port}[^\n]*\n$", result.StandardError);
        Assert.DoesNotContain("Exception", result.StandardOutput, StringComparison.Ordinal);
    }
}

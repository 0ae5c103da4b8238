using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Interop.Tests.Dtls;

/// <summary>Wireshark's dissector reads a captured handshake and exchange with our server without a malformed frame.</summary>
public sealed class DtlsCaptureTests : IAsyncDisposable
{
    private readonly DtlsServerHarness _server = new();
    private readonly string _capture = Path.Combine(Path.GetTempPath(), $"coaps-{Guid.NewGuid():N}.pcapng");
    private readonly SemaphoreSlim _probeSeen = new(0);
    private readonly Socket _probe = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly int _probePort = Tool.FreeUdpPort();

    public async ValueTask DisposeAsync()
    {
        File.Delete(_capture);
        _probe.Dispose();
        _probeSeen.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Tshark_decodes_the_handshake_and_the_exchange_without_malformed_frames()
    {
        var port = _server.Port.ToString(CultureInfo.InvariantCulture);

        // tshark writes the capture and prints a line per packet; a datagram to a probe port marks where the capture has
        // got to, so nothing is missed at either end (tshark says it is capturing a little before its filter is in place).
        using var tshark = Tool.Start(
            Tool.Find("tshark"),
            ["-i", "lo", "-l", "-P", "-w", _capture, "-f", $"udp port {port} or udp port {_probePort}"]);
        var reader = Task.Run(() => ReadAsync(tshark));
        try
        {
            await ProbeAsync();
            var result = await Tool.RunAsync(
                Tool.Find("coap-client-openssl"),
                ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-B", "20", "-m", "get", _server.Uri("whoami")],
                TimeSpan.FromSeconds(40));
            Assert.Contains("you are alice", result.StandardOutput, StringComparison.Ordinal);
            await ProbeAsync();
        }
        finally
        {
            tshark.Kill(entireProcessTree: true);
            await tshark.WaitForExitAsync();
            await reader;
        }

        var decoding = await Tool.RunAsync(Tool.Find("tshark"), ["-r", _capture, "-d", $"udp.port=={port},dtls", "-V"], TimeSpan.FromSeconds(60));
        Assert.Equal(0, decoding.ExitCode);
        var decoded = decoding.StandardOutput;
        Assert.DoesNotContain("Malformed", decoded, StringComparison.Ordinal);
        foreach (var step in new[] { "Client Hello", "Hello Verify Request", "Server Hello", "Change Cipher Spec", "Application Data", "Alert" })
        {
            Assert.Contains(step, decoded, StringComparison.Ordinal);
        }

        // Both ClientHellos (without and with the cookie), the request and its response.
        Assert.Equal(2, Count(decoded, "Handshake Type: Client Hello (1)"));
        Assert.True(Count(decoded, "Content Type: Application Data (23)") >= 2, decoded);
    }

    private async Task ProbeAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            _probe.SendTo("probe"u8, new IPEndPoint(IPAddress.Loopback, _probePort));
            if (await _probeSeen.WaitAsync(TimeSpan.FromMilliseconds(300)))
            {
                return;
            }
        }

        throw new TimeoutException("tshark never showed the probe datagram.");
    }

    private async Task ReadAsync(System.Diagnostics.Process tshark)
    {
        var probeLine = $" {_probePort} Len=5";
        while (await tshark.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains(probeLine, StringComparison.Ordinal))
            {
                _probeSeen.Release();
            }
        }
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

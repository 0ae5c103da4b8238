using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Interop.Tests.Dtls;

/// <summary>Wireshark's dissector reads a captured handshake and exchange with our server without a malformed frame.</summary>
public sealed class DtlsCaptureTests : IAsyncLifetime
{
    private readonly DtlsServerHarness _server = new();
    private readonly StringBuilder _decoded = new();
    private readonly SemaphoreSlim _startSeen = new(0);
    private readonly SemaphoreSlim _endSeen = new(0);
    private readonly Socket _probe = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly int _startPort = Tool.FreeUdpPort();
    private readonly int _endPort = Tool.FreeUdpPort();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _probe.Dispose();
        _startSeen.Dispose();
        _endSeen.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Tshark_decodes_the_handshake_and_the_exchange_without_malformed_frames()
    {
        var port = _server.Port.ToString(CultureInfo.InvariantCulture);

        // tshark decodes live, a packet at a time (a file written by a capture that is stopped may lack its last
        // packets); datagrams to two probe ports mark where it has got to before and after the exchange, so nothing is
        // missed at either end (tshark says it is capturing a little before its filter is in place).
        using var tshark = Tool.Start(
            Tool.Find("tshark"),
            ["-i", "lo", "-l", "-f", $"udp port {port} or udp port {_startPort} or udp port {_endPort}", "-d", $"udp.port=={port},dtls", "-V"]);
        var reader = Task.Run(() => ReadAsync(tshark));
        try
        {
            await ProbeAsync(_startPort, _startSeen);
            var result = await Tool.RunAsync(
                Tool.Find("coap-client-openssl"),
                ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-B", "20", "-m", "get", _server.Uri("whoami")],
                TimeSpan.FromSeconds(40));
            Assert.Contains("you are alice", result.StandardOutput, StringComparison.Ordinal);
            await ProbeAsync(_endPort, _endSeen);
        }
        finally
        {
            tshark.Kill(entireProcessTree: true);
            await tshark.WaitForExitAsync();
            await reader;
        }

        var decoded = _decoded.ToString();
        Assert.DoesNotContain("Malformed", decoded, StringComparison.Ordinal);
        foreach (var step in new[] { "Client Hello", "Hello Verify Request", "Server Hello", "Change Cipher Spec", "Application Data", "Alert" })
        {
            Assert.Contains(step, decoded, StringComparison.Ordinal);
        }

        // Both ClientHellos (without and with the cookie), the request and its response.
        Assert.Equal(2, Count(decoded, "Handshake Type: Client Hello (1)"));
        Assert.True(Count(decoded, "Content Type: Application Data (23)") >= 2, decoded);
    }

    private async Task ProbeAsync(int probePort, SemaphoreSlim seen)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            _probe.SendTo("probe"u8, new IPEndPoint(IPAddress.Loopback, probePort));
            if (await seen.WaitAsync(TimeSpan.FromMilliseconds(300)))
            {
                return;
            }
        }

        throw new TimeoutException("tshark never showed the probe datagram.");
    }

    private async Task ReadAsync(System.Diagnostics.Process tshark)
    {
        var start = $"Dst Port: {_startPort}";
        var end = $"Dst Port: {_endPort}";
        while (await tshark.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_decoded)
            {
                _decoded.AppendLine(line);
            }

            if (line.Contains(start, StringComparison.Ordinal))
            {
                _startSeen.Release();
            }
            else if (line.Contains(end, StringComparison.Ordinal))
            {
                _endSeen.Release();
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

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Coap.Bench.Doc;

/// <summary>dnsmasq on a free loopback port answering every name under bench.test with 192.0.2.1, TTL 3600.</summary>
internal sealed class LoopbackDnsmasq : IDisposable
{
    private readonly Process _process;

    public LoopbackDnsmasq()
    {
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            EndPoint = (IPEndPoint)probe.LocalEndPoint!;
        }

        var info = new ProcessStartInfo(File.Exists("/usr/sbin/dnsmasq") ? "/usr/sbin/dnsmasq" : "dnsmasq")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--no-daemon", $"--port={EndPoint.Port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv",
            "--no-hosts", "--conf-file=/dev/null", "--address=/bench.test/192.0.2.1", "--local-ttl=3600", "--cache-size=0",
        })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("dnsmasq did not start");
        Thread.Sleep(500);
    }

    public IPEndPoint EndPoint { get; }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}

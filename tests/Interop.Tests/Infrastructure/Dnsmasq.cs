using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Interop.Tests.Infrastructure;

/// <summary>
/// A real DNS server on loopback: dnsmasq in the foreground with only the test zone "test." (no resolv.conf, no hosts
/// file, no upstream), every record with TTL <see cref="Ttl"/>. Killed on dispose.
/// </summary>
public sealed class Dnsmasq : IDisposable
{
    public const uint Ttl = 300;
    public const int BigTxtRecords = 12;

    private readonly Process _process;

    private Dnsmasq(Process process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>
    /// www.test A 192.0.2.10 and AAAA 2001:db8::10; test MX 10 mail.test; txt.test "hello world"; alias2.test →
    /// alias.test → www.test; big.test with <see cref="BigTxtRecords"/> TXT records of ~200 octets (over 512 octets:
    /// truncated over UDP); every other name under test. is NXDOMAIN.
    /// </summary>
    /// <remarks>
    /// The port was free a moment before dnsmasq binds it, so another test's socket may take it first: dnsmasq then
    /// exits at once, and it is started again on another port.
    /// </remarks>
    public static async Task<Dnsmasq> StartAsync()
    {
        var program = File.Exists("/usr/sbin/dnsmasq") ? "/usr/sbin/dnsmasq" : Tool.Find("dnsmasq");
        for (var attempt = 1; ; attempt++)
        {
            var port = Tool.FreeUdpPort();
            List<string> arguments =
            [
                "--no-daemon", $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--conf-file=/dev/null", "--local=/test/", $"--local-ttl={Ttl}", "--host-record=www.test,192.0.2.10,2001:db8::10",
                "--mx-host=test,mail.test,10", "--txt-record=txt.test,hello world", "--cname=alias.test,www.test", "--cname=alias2.test,alias.test",
            ];
            for (var i = 0; i < BigTxtRecords; i++)
            {
                arguments.Add($"--txt-record=big.test,{new string('y', 200)}-{i}");
            }

            var dnsmasq = new Dnsmasq(Tool.Start(program, arguments), port);
            try
            {
                await dnsmasq.WaitUntilAnsweringAsync();
                return dnsmasq;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                dnsmasq.Dispose();
            }
        }
    }

    /// <summary>Stops the server: queries to its port go unanswered from now on.</summary>
    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync()
    {
        // A bare header with QDCOUNT 0 is answered (FORMERR or NOERROR) once dnsmasq listens.
        byte[] probe = [0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(EndPoint);
        var buffer = new byte[512];
        for (var attempt = 0; attempt < 75; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"dnsmasq exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                await socket.SendAsync(probe);
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
                await socket.ReceiveAsync(buffer, timeout.Token);
                return;
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException("dnsmasq did not answer within 15 s");
    }
}

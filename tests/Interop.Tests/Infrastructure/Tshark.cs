using System.Diagnostics;
using System.Globalization;

namespace Interop.Tests.Infrastructure;

/// <summary>
/// A tshark capture of one UDP port on loopback, to prove what went on the wire: every request to the port carries the
/// OSCORE option (a Partial IV) and none a Uri-Path in clear. Null when tshark is not installed.
/// </summary>
internal sealed class Tshark : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _file;
    private readonly int _port;
    private readonly SemaphoreSlim _printed = new(0);
    private readonly Task _reader;
    private int _lines;

    private Tshark(Process process, string file, int port)
    {
        _process = process;
        _file = file;
        _port = port;
        _reader = ReadPrintedAsync();
    }

    public static async Task<Tshark?> StartAsync(int port)
    {
        if (!File.Exists("/usr/bin/tshark"))
        {
            return null;
        }

        var file = Path.Combine(Path.GetTempPath(), $"oscore-{Guid.NewGuid():N}.pcapng");
        var process = Tool.Start("/usr/bin/tshark", ["-i", "lo", "-f", $"udp port {port.ToString(CultureInfo.InvariantCulture)}", "-w", file, "-P", "-l"]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardError.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.Contains("Capturing on", StringComparison.Ordinal))
            {
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                var capture = new Tshark(process, file, port);
                await capture.ProbeAsync(cancel.Token);
                return capture;
            }
        }

        throw new InvalidOperationException("tshark ended without capturing.");
    }

    /// <summary>
    /// Sends empty datagrams (no CoAP message, so never counted) to the port until tshark prints one it captured after
    /// this call began: at the start, because "Capturing on" comes before the capture really runs; before stopping,
    /// because packets still buffered between dumpcap and tshark are lost at SIGINT. Bounded by <paramref name="cancel"/>.
    /// </summary>
    private async Task ProbeAsync(CancellationToken cancel)
    {
        using var probe = new System.Net.Sockets.UdpClient(System.Net.Sockets.AddressFamily.InterNetwork);
        var target = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _port);
        var before = Volatile.Read(ref _lines);
        while (Volatile.Read(ref _lines) == before)
        {
            if (_reader.IsCompleted)
            {
                throw new InvalidOperationException("tshark ended while capturing.");
            }

            await probe.SendAsync(ReadOnlyMemory<byte>.Empty, target, cancel);
            await _printed.WaitAsync(TimeSpan.FromMilliseconds(100), cancel);
        }
    }

    private async Task ReadPrintedAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is not null)
        {
            Interlocked.Increment(ref _lines);
            _printed.Release();
        }
    }

    /// <summary>Stops the capture (SIGINT, so the file is complete) and returns (requests to the port, with OSCORE, with a Uri-Path).</summary>
    public async Task<(int Requests, int Protected, int WithUriPath)> StopAndCountAsync()
    {
        using (var flushed = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await ProbeAsync(flushed.Token);
        }

        using (var stop = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await stop.WaitForExitAsync();
        }

        await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var port = _port.ToString(CultureInfo.InvariantCulture);
        var decode = new[] { "-r", _file, "-d", $"udp.port=={port},coap" };
        async Task<int> CountAsync(string filter)
        {
            var result = await Tool.RunAsync("/usr/bin/tshark", [.. decode, "-Y", $"udp.dstport=={port} && coap && coap.code >= 1 && coap.code <= 31 {filter}"]);
            return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }

        return (await CountAsync(""), await CountAsync("&& coap.opt.object_security_piv"), await CountAsync("&& coap.opt.uri_path"));
    }

    /// <summary>After <see cref="StopAndCountAsync"/>: the datagrams of the requests to the port, in capture order.</summary>
    public async Task<IReadOnlyList<byte[]>> RequestDatagramsAsync()
    {
        var port = _port.ToString(CultureInfo.InvariantCulture);
        var result = await Tool.RunAsync("/usr/bin/tshark", ["-r", _file, "-d", $"udp.port=={port},coap", "-Y", $"udp.dstport=={port} && coap && coap.code >= 1 && coap.code <= 31", "-T", "fields", "-e", "udp.payload"]);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => Convert.FromHexString(line.Trim().Replace(":", string.Empty, StringComparison.Ordinal))).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _reader.WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        File.Delete(_file);
        _printed.Dispose();
    }
}

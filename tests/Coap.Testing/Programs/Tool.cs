using System.Diagnostics;

namespace Coap.Testing.Programs;

/// <summary>Runs external programs with a bounded time; a program still running then is killed and the test fails.</summary>
public static class Tool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The full path of a program on PATH; fails with the install hint when it is missing.</summary>
    public static string Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"'{name}' is not installed; ./test.sh installs it (Debian package {PackageOf(name)}).");
    }

    /// <summary>The Debian package ./test.sh installs a program from.</summary>
    private static string PackageOf(string name) => name switch
    {
        _ when name.StartsWith("coap-", StringComparison.Ordinal) => "libcoap3-bin",
        "dnsmasq" => "dnsmasq",
        "tmux" => "tmux",
        _ => name,
    };

    /// <summary>Runs a program to its end; <paramref name="input"/>, when given, is its whole standard input (then closed).</summary>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan? timeout = null, byte[]? input = null)
    {
        using var process = Start(program, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdin = input is null ? Task.CompletedTask : WriteAndCloseAsync(process.StandardInput.BaseStream, input);
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish within {timeout ?? DefaultTimeout}.");
        }

        await stdin;
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task WriteAndCloseAsync(Stream stdin, byte[] input)
    {
        await using (stdin)
        {
            await stdin.WriteAsync(input);
        }
    }

    public static Process Start(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    /// <summary>A UDP port that was free a moment ago, for peers that cannot bind port 0 and report it.</summary>
    public static int FreeUdpPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

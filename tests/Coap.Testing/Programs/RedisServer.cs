using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Coap.Testing.Programs;

/// <summary>
/// A real redis-server on 127.0.0.1 for one test: protected mode on, a TCP port that was free a moment before (redis
/// takes no port 0), and no persistence unless given a folder, where it keeps the dump only a SAVE writes.
/// <see cref="KillAsync"/> sends it SIGKILL, <see cref="RestartAsync"/> starts a new one on the same port (empty, or
/// from the folder's last dump), disposing kills the one running, always by its PID.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private Process? _process;

    private readonly string? _folder;

    private RedisServer(int port, string? folder)
    {
        Port = port;
        _folder = folder;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for it: short timeouts, so that a test sees a dead server soon.</summary>
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},connectTimeout=2000,syncTimeout=3000,asyncTimeout=3000";

    /// <summary>The PID of the running server; null after <see cref="Kill"/>.</summary>
    public int? Pid => _process?.Id;

    /// <summary>
    /// Starts redis-server and waits until it says it accepts connections; another port if the first was taken
    /// meanwhile. With <paramref name="folder"/>, a restart loads the dump.rdb the last SAVE wrote there.
    /// </summary>
    public static async Task<RedisServer> StartAsync(string? folder = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreeTcpPort(), folder);
            if (await server.TryStartAsync())
            {
                return server;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException("redis-server did not come up on three free ports.");
            }
        }
    }

    /// <summary>Kills the server with SIGKILL (as <c>kill -9</c>) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        using (process)
        {
            process.Kill();
            using var timeout = new CancellationTokenSource(StartTimeout);
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    /// <summary>A new server on the same port, after <see cref="KillAsync"/>.</summary>
    public async Task RestartAsync()
    {
        if (!await TryStartAsync())
        {
            throw new InvalidOperationException($"redis-server did not come up again on port {Port}.");
        }
    }

    private async Task<bool> TryStartAsync()
    {
        string[] arguments = ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "yes"];
        var process = Tool.Start(Tool.Find("redis-server"), _folder is null ? arguments : [.. arguments, "--dir", _folder, "--dbfilename", "dump.rdb"]);
        _process = process;
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await KillAsync();
        return false;
    }

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            await KillAsync();
        }

        _process?.Dispose();
        _process = null;
    }
}

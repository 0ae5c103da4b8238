using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Coap.Bench.Fuzz;

/// <summary>
/// CoapHost (the real program, beside this one) started on 127.0.0.1 and a free port, logging only errors (and the
/// line that says where it listens). Every "fail:" or "crit:" entry it writes is counted, the first few kept whole.
/// </summary>
internal sealed partial class HostProcess : IDisposable
{
    private const int KeptEntries = 3;

    private readonly Process _process;
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _entries = [];
    private readonly Task _output;
    private readonly Task _errors;
    private int _errorCount;

    public HostProcess(IEnumerable<string> settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] fixedSettings =
        [
            Path.Combine(AppContext.BaseDirectory, "CoapHost.dll"), "--Coap:Address=127.0.0.1", "--Coap:Port=0",
            "--Logging:LogLevel:Default=Error", "--Logging:LogLevel:Coap.Engine.Server.CoapServer=Information",
        ];
        foreach (var argument in fixedSettings.Concat(settings))
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("CoapHost did not start");
        _output = ReadAsync(_process.StandardOutput);
        _errors = ReadAsync(_process.StandardError);
    }

    public int Pid => _process.Id;

    /// <summary>How many entries the host logged at Error or Critical.</summary>
    public int ErrorCount => Volatile.Read(ref _errorCount);

    /// <summary>
    /// The first entries logged at Error or Critical, each with the lines that follow it (message, exception).
    /// </summary>
    public IReadOnlyList<string> FirstErrors
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>The port from the host's "listening on" line.</summary>
    public async Task<int> PortAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _port.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Sends SIGTERM and waits for the exit code (null when it did not end within 20 s).</summary>
    public async Task<int?> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        await Task.WhenAll(_output, _errors).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task ReadAsync(StreamReader reader)
    {
        StringBuilder? entry = null;
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _port.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }

            if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                Keep(entry);
                entry = Interlocked.Increment(ref _errorCount) <= KeptEntries ? new StringBuilder(line) : null;
            }
            else if (line.StartsWith("      ", StringComparison.Ordinal) || line.StartsWith("   at ", StringComparison.Ordinal))
            {
                entry?.Append('\n').Append(line);
            }
            else
            {
                Keep(entry);
                entry = null;
            }
        }

        Keep(entry);
        _port.TrySetException(new InvalidOperationException("CoapHost ended without saying where it listens."));
    }

    private void Keep(StringBuilder? entry)
    {
        if (entry is not null)
        {
            lock (_entries)
            {
                _entries.Add(entry.ToString());
            }
        }
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}

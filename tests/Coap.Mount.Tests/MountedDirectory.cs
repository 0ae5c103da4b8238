using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Coap.Cli.Mount;
using Coap.Testing.Programs;

namespace Coap.Mount.Tests;

/// <summary>
/// A real <c>coap mount URI MOUNTPOINT --foreground</c> process on a fresh temp mount point. Disposing always
/// cleans up, even after a failed test: SIGTERM, then a lazy <c>fusermount3 -uz</c> and a kill for whatever is left.
/// </summary>
public sealed class MountedDirectory : IAsyncDisposable
{
    public static readonly TimeSpan MountWait = TimeSpan.FromSeconds(20);
    private static readonly string Coap = System.IO.Path.Combine(AppContext.BaseDirectory, "coap.dll");
    private readonly StringBuilder _log = new();
    private TaskCompletionSource _logGrew = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MountedDirectory(Process process, string path)
    {
        Process = process;
        Path = path;
        process.ErrorDataReceived += (_, line) =>
        {
            TaskCompletionSource grew;
            lock (_log)
            {
                _log.AppendLine(line.Data);
                grew = _logGrew;
                _logGrew = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            grew.TrySetResult();
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public Process Process { get; }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>What the mount process has written to stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Mounts <paramref name="uri"/> and returns once the mount is in /proc/mounts (bounded by <see cref="MountWait"/>).</summary>
    public static Task<MountedDirectory> StartAsync(string uri, params string[] options) => StartWithAsync(["dotnet", Coap], uri, options);

    /// <summary>As <see cref="StartAsync"/>, with <paramref name="coap"/> as the command that runs coap (a native executable).</summary>
    public static async Task<MountedDirectory> StartWithAsync(string[] coap, string uri, params string[] options)
    {
        if (FuseFactAttribute.MissingReason() is { } missing)
        {
            throw new InvalidOperationException($"FUSE is required ({FuseFactAttribute.RequireVariable}=1) but not usable: {missing}");
        }

        var path = Directory.CreateTempSubdirectory("mount-point-").FullName;
        // As from an interactive shell: a test run started in the background (`dotnet test … &`) ignores SIGINT, the
        // mount would inherit that and, as programs should, keep ignoring it. env resets it and execs (same pid).
        var info = new ProcessStartInfo("env") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["--default-signal=INT,QUIT", .. coap, "mount", uri, path, "--foreground", .. options])
        {
            info.ArgumentList.Add(argument);
        }

        var mounted = new MountedDirectory(Process.Start(info)!, path);
        try
        {
            await mounted.WaitUntilAsync(() => IsMounted(path) || mounted.Process.HasExited, MountWait);
            Assert.True(IsMounted(path), $"no mount appeared on {path}:\n{mounted.Log}");
            return mounted;
        }
        catch
        {
            await mounted.DisposeAsync();
            throw;
        }
    }

    public static bool IsMounted(string path) => MountTable.IsMounted(path);

    public string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Runs a shell script with the mount point as the working directory; one still running after <paramref name="limit"/> (60 s unless given) is killed.</summary>
    public Task<ProcessResult> ShellAsync(string script, TimeSpan? limit = null) =>
        Tool.RunAsync("/bin/sh", ["-c", $"cd '{Path}' && {script}"], limit ?? TimeSpan.FromSeconds(60));

    /// <summary>Sends a signal to the mount process (SIGTERM = 15, SIGKILL = 9).</summary>
    public void Signal(int signal) => Assert.Equal(0, kill(Process.Id, signal));

    /// <summary>
    /// Waits until <paramref name="condition"/> holds or <paramref name="limit"/> passes, looking again whenever something
    /// it can depend on happens: the mount table changes, the mount process logs a line, or it exits; with
    /// <paramref name="recheck"/>, also that often, for a condition no event of this side announces.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, TimeSpan? recheck = null)
    {
        using var table = new MountTableWatch();
        var clock = Stopwatch.StartNew();
        var exited = Process.WaitForExitAsync();
        while (!condition() && clock.Elapsed < limit)
        {
            Task logged;
            lock (_log)
            {
                logged = _logGrew.Task;
            }

            if (condition())
            {
                return;
            }

            var wait = recheck is { } every && every < limit - clock.Elapsed ? every : limit - clock.Elapsed;
            await Task.WhenAny(table.NextChangeAsync(wait), logged, exited);
        }
    }

    /// <summary>
    /// Waits until an entry made on the server behind the mount's back shows through it: the mount caches listings
    /// until the server's Observe notification (coalesced over 250 ms) or the cache timeout (2 s). That notification
    /// reaches the mount process, not this one, so the path is looked at again every 50 ms, 10 s at most.
    /// </summary>
    public async Task ShowsAsync(string relative)
    {
        var path = PathOf(relative);
        await WaitUntilAsync(() => System.IO.Path.Exists(path), TimeSpan.FromSeconds(10), recheck: TimeSpan.FromMilliseconds(50));
        Assert.True(System.IO.Path.Exists(path), $"{relative} made on the server never showed through the mount");
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            kill(Process.Id, 15);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await Process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                Process.Kill(entireProcessTree: true);
            }
        }

        if (IsMounted(Path))
        {
            await Tool.RunAsync("fusermount3", ["-uz", Path]);
        }

        Process.Dispose();
        if (!IsMounted(Path))
        {
            Directory.Delete(Path);
        }
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // two ints in, one out: nothing to marshal.
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}

using System.CommandLine;
using System.Runtime.InteropServices;
using Coap.Cli.Mount;
using Coap.Cli.Mount.Native;
using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Commands.Files;

/// <summary>
/// mount URI/ MOUNTPOINT: the remote directory as a local one through FUSE (libfuse3), until unmounted with
/// <c>coap umount</c> / <c>fusermount3 -u</c>, or SIGTERM/SIGINT to the mount process.
/// </summary>
internal static class MountCommand
{
    /// <summary>A mount answers the kernel: a silent server fails a call after this long, not after MAX_TRANSMIT_WAIT (93 s).</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static Command Create(CliConsole console, IReadOnlyList<string> commandLine)
    {
        var uri = UriArgument.Create();
        uri.Description = "The remote directory, e.g. coap://localhost/files/.";
        var mountPoint = new Argument<string>("mountpoint") { Description = "An existing local directory to mount it on." };
        var options = new Option<string[]>("-o")
        {
            Description = "Mount options, comma-separated: ro (read-only), rw (default), cache_timeout=SECONDS (default 2).",
            HelpName = "OPTIONS",
            AllowMultipleArgumentsPerToken = false,
        };
        var foreground = new Option<bool>("--foreground", "-f") { Description = "Stay in the foreground (log on stderr) instead of returning once mounted." };
        var log = new Option<string?>("--log") { Description = "Append the mount's log to this file (without --foreground the log is otherwise lost).", HelpName = "FILE" };
        var client = new ClientOptionSet();
        var command = new Command("mount", "Mount a CoAP file service directory on a local directory (FUSE), like sshfs.") { uri, mountPoint, options, foreground, log };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var point = result.GetRequiredValue(mountPoint);
                var mountOptions = MountOptions.Parse(result.GetValue(options) ?? []);
                if (!Directory.Exists(point))
                {
                    throw new UsageException($"no such directory: '{point}' (create the mount point first)");
                }

                if (LibFuse.TryLoad() is { } missing)
                {
                    throw new UsageException($"cannot mount: {missing}");
                }

                if (!result.GetValue(foreground))
                {
                    return await Detached.RunAsync(commandLine, point, console, cancellationToken).ConfigureAwait(false);
                }

                var settings = client.Read(result);
                settings = settings with { Timeout = settings.Timeout ?? DefaultTimeout };
                var logFile = result.GetValue(log);
                using var mountLog = logFile is null ? new MountLog(console.Error) : new MountLog(OpenLog(logFile), owned: true);
                return await RunAsync(result.GetRequiredValue(uri), Path.GetFullPath(point), mountOptions, settings, console, mountLog).ConfigureAwait(false);
            },
            cancellationToken));
        return command;
    }

    private static StreamWriter OpenLog(string path)
    {
        try
        {
            return File.AppendText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the log file '{path}': {error.Message}");
        }
    }

    /// <summary>
    /// Serves until unmounted. SIGTERM, SIGINT and SIGHUP are taken from the runtime (System.CommandLine's own
    /// handling is off for this command, see CliApp): each asks the session to stop, and the process exits 0 once
    /// the mount is gone.
    /// </summary>
    private static async Task<int> RunAsync(CoapUri uri, string mountPoint, MountOptions options, ClientSettings settings, CliConsole console, MountLog log)
    {
        var session = new FileSession(settings, console);
        await using (session.ConfigureAwait(false))
        {
            var root = RemotePath.AsDirectory(uri);
            using var fileSystem = new RemoteFileSystem(session.Files, root, options.ReadOnly, options.CacheTimeout, log);
            fileSystem.CheckRoot();
            FuseSession? fuse = null;
            var stopRequested = 0;

            // Registered before mounting: a signal that arrives while fuse_mount runs must unmount too, not kill the process.
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
            Volatile.Write(ref fuse, FuseSession.Start(mountPoint, root.ToString(), options.ReadOnly, FuseCallbacks.Operations(fileSystem, log)));
            if (Volatile.Read(ref stopRequested) != 0)
            {
                fuse.Stop();
            }

            log.Write($"mounted {root} on {mountPoint}{(options.ReadOnly ? " (read-only)" : string.Empty)}");
            var watch = fileSystem.WatchAsync();
            var result = await fuse.Ended.ConfigureAwait(false);
            fileSystem.StopWatching();
            await watch.ConfigureAwait(false);
            log.Write($"unmounted {mountPoint}");
            return result == 0 ? ExitCode.Success : ExitCode.NoResponse;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                log.Write($"{context.Signal}: unmounting {mountPoint}");
                Volatile.Write(ref stopRequested, 1);
                Volatile.Read(ref fuse)?.Stop();
            }
        }
    }
}

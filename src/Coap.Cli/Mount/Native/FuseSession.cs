using System.Runtime.InteropServices;
using System.Text;

namespace Coap.Cli.Mount.Native;

/// <summary>
/// One libfuse session: <c>fuse_new</c> with the mount options, <c>fuse_mount</c>, <c>fuse_loop_mt</c> on a thread of
/// its own, then <c>fuse_unmount</c> and <c>fuse_destroy</c>. Always mounted with <c>auto_unmount</c>, so that the
/// fusermount3 helper removes the mount even when this process is killed with SIGKILL.
/// </summary>
internal sealed unsafe class FuseSession
{
    private readonly nint _fuse;
    private readonly string _mountPoint;
    private readonly Thread _loop;
    private readonly TaskCompletionSource<int> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopping;

    private FuseSession(nint fuse, string mountPoint)
    {
        _fuse = fuse;
        _mountPoint = mountPoint;
        _loop = new Thread(Loop) { Name = "fuse loop", IsBackground = true };
    }

    /// <summary>Completes with fuse_loop_mt's result once the loop has ended and the mount is gone.</summary>
    public Task<int> Ended => _ended.Task;

    /// <summary>Mounts <paramref name="operations"/> on <paramref name="mountPoint"/> and starts serving; throws with libfuse's reason when it cannot.</summary>
    public static FuseSession Start(string mountPoint, string fileSystemName, bool readOnly, nint[] operations)
    {
        if (LibFuse.TryLoad() is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        var options = $"auto_unmount,fsname={Escape(fileSystemName)},subtype=coap" + (readOnly ? ",ro" : string.Empty);
        string[] arguments = ["coap", "-o", options];
        var strings = arguments.Select(argument => Marshal.StringToCoTaskMemUTF8(argument)).ToArray();
        var argv = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Length + 1), (nuint)sizeof(nint));
        try
        {
            for (var i = 0; i < strings.Length; i++)
            {
                argv[i] = (byte*)strings[i];
            }

            var args = new FuseArgs { Argc = strings.Length, Argv = argv, Allocated = 0 };
            nint fuse;
            fixed (nint* table = operations)
            {
                fuse = LibFuse.New(&args, table, (nuint)(operations.Length * sizeof(nint)), null);
            }

            LibFuse.FreeArgs(&args);
            if (fuse == 0)
            {
                throw new InvalidOperationException("fuse_new refused the mount options");
            }

            var point = Marshal.StringToCoTaskMemUTF8(mountPoint);
            try
            {
                if (LibFuse.Mount(fuse, (byte*)point) != 0)
                {
                    LibFuse.Destroy(fuse);
                    throw new InvalidOperationException($"cannot mount on {mountPoint} (libfuse said why above)");
                }
            }
            finally
            {
                Marshal.FreeCoTaskMem(point);
            }

            var session = new FuseSession(fuse, mountPoint);
            session._loop.Start();
            return session;
        }
        finally
        {
            NativeMemory.Free(argv);
            foreach (var text in strings)
            {
                Marshal.FreeCoTaskMem(text);
            }
        }
    }

    /// <summary>
    /// Ends the loop, from any thread, without waiting. fuse_exit only sets a flag that the loop checks when a request
    /// arrives, so one more request is sent: a lookup of a name that cannot exist, from a thread of its own (it may
    /// block until the loop serves it, and must not block the caller, which may be the loop itself).
    /// </summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0 || _ended.Task.IsCompleted)
        {
            return;
        }

        LibFuse.Exit(_fuse);
        var wake = Path.Combine(_mountPoint, $".coap-mount-stop-{Guid.NewGuid():N}");
        new Thread(() => _ = File.Exists(wake)) { IsBackground = true, Name = "fuse wake" }.Start();
    }

    private void Loop()
    {
        var result = LibFuse.LoopMt(_fuse, 0);
        LibFuse.Unmount(_fuse);
        LibFuse.Destroy(_fuse);
        _ended.TrySetResult(result);
    }

    /// <summary>A comma or backslash in an option value is escaped for libfuse's option parser.</summary>
    private static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is ',' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }
}

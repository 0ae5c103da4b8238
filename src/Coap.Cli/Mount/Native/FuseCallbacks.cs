using System.Runtime.InteropServices;
using System.Text;

namespace Coap.Cli.Mount.Native;

/// <summary>
/// The <c>fuse_operations</c> table: static <see cref="UnmanagedCallersOnlyAttribute"/> methods (no delegates the
/// collector could take away), each turning C arguments into .NET ones for the one mounted <see cref="RemoteFileSystem"/>.
/// Every body is wrapped: an exception escaping into libfuse would kill the process and leave a dead mount, so each
/// becomes -errno (EIO for anything unexpected) and a log line.
/// </summary>
internal static unsafe class FuseCallbacks
{
    private const int GetAttrSlot = 0;
    private const int MkdirSlot = 3;
    private const int UnlinkSlot = 4;
    private const int RmdirSlot = 5;
    private const int RenameSlot = 7;
    private const int ChmodSlot = 9;
    private const int ChownSlot = 10;
    private const int TruncateSlot = 11;
    private const int OpenSlot = 12;
    private const int ReadSlot = 13;
    private const int WriteSlot = 14;
    private const int StatfsSlot = 15;
    private const int FlushSlot = 16;
    private const int ReleaseSlot = 17;
    private const int FsyncSlot = 18;
    private const int ReaddirSlot = 24;
    private const int CreateSlot = 30;
    private const int UtimensSlot = 32;

    private static RemoteFileSystem? s_fileSystem;
    private static MountLog? s_log;
    private static uint s_uid;
    private static uint s_gid;

    private static RemoteFileSystem Fs => s_fileSystem!;

    /// <summary>Builds the table (336 bytes, never freed: libfuse keeps a copy, the mount lives as long as the process).</summary>
    public static nint[] Operations(RemoteFileSystem fileSystem, MountLog log)
    {
        s_fileSystem = fileSystem;
        s_log = log;
        s_uid = getuid();
        s_gid = getgid();
        var table = new nint[FuseLayout.OperationCount];
        table[GetAttrSlot] = (nint)(delegate* unmanaged<byte*, byte*, void*, int>)&GetAttr;
        table[MkdirSlot] = (nint)(delegate* unmanaged<byte*, uint, int>)&Mkdir;
        table[UnlinkSlot] = (nint)(delegate* unmanaged<byte*, int>)&Unlink;
        table[RmdirSlot] = (nint)(delegate* unmanaged<byte*, int>)&Rmdir;
        table[RenameSlot] = (nint)(delegate* unmanaged<byte*, byte*, uint, int>)&Rename;
        table[ChmodSlot] = (nint)(delegate* unmanaged<byte*, uint, void*, int>)&Chmod;
        table[ChownSlot] = (nint)(delegate* unmanaged<byte*, uint, uint, void*, int>)&Chown;
        table[TruncateSlot] = (nint)(delegate* unmanaged<byte*, long, void*, int>)&Truncate;
        table[OpenSlot] = (nint)(delegate* unmanaged<byte*, void*, int>)&Open;
        table[ReadSlot] = (nint)(delegate* unmanaged<byte*, byte*, nuint, long, void*, int>)&Read;
        table[WriteSlot] = (nint)(delegate* unmanaged<byte*, byte*, nuint, long, void*, int>)&Write;
        table[StatfsSlot] = (nint)(delegate* unmanaged<byte*, byte*, int>)&Statfs;
        table[FlushSlot] = (nint)(delegate* unmanaged<byte*, void*, int>)&Flush;
        table[ReleaseSlot] = (nint)(delegate* unmanaged<byte*, void*, int>)&Release;
        table[FsyncSlot] = (nint)(delegate* unmanaged<byte*, int, void*, int>)&Fsync;
        table[ReaddirSlot] = (nint)(delegate* unmanaged<byte*, void*, void*, long, void*, int, int>)&Readdir;
        table[CreateSlot] = (nint)(delegate* unmanaged<byte*, uint, void*, int>)&Create;
        table[UtimensSlot] = (nint)(delegate* unmanaged<byte*, void*, void*, int>)&Utimens;
        return table;
    }

    [UnmanagedCallersOnly]
    private static int GetAttr(byte* path, byte* stat, void* fileInfo)
    {
        try
        {
            var result = Fs.GetAttributes(Text(path), FuseLayout.Handle(fileInfo), out var attributes);
            if (result == 0)
            {
                FuseLayout.FillStat(stat, attributes, s_uid, s_gid);
            }

            return result;
        }
        catch (Exception error)
        {
            return Fail("getattr", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Readdir(byte* path, void* buffer, void* filler, long offset, void* fileInfo, int flags)
    {
        try
        {
            var result = Fs.ReadDirectory(Text(path), out var entries);
            if (result != 0)
            {
                return result;
            }

            var fill = (delegate* unmanaged<void*, byte*, byte*, long, int, int>)filler;
            var stat = stackalloc byte[FuseLayout.StatSize];
            Span<byte> name = stackalloc byte[1024];
            var dots = stackalloc byte[] { (byte)'.', (byte)'.', 0 };
            fill(buffer, dots + 1, null, 0, 0);
            fill(buffer, dots, null, 0, 0);
            foreach (var (entryName, attributes) in entries)
            {
                var length = Encoding.UTF8.GetByteCount(entryName);
                if (length >= name.Length)
                {
                    continue;
                }

                Encoding.UTF8.GetBytes(entryName, name);
                name[length] = 0;
                FuseLayout.FillStat(stat, attributes, s_uid, s_gid);
                fixed (byte* text = name)
                {
                    if (fill(buffer, text, stat, 0, 0) != 0)
                    {
                        break;
                    }
                }
            }

            return 0;
        }
        catch (Exception error)
        {
            return Fail("readdir", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Open(byte* path, void* fileInfo)
    {
        try
        {
            var result = Fs.Open(Text(path), FuseLayout.OpenFlags(fileInfo), out var handle);
            FuseLayout.SetHandle(fileInfo, handle);
            return result;
        }
        catch (Exception error)
        {
            return Fail("open", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Create(byte* path, uint mode, void* fileInfo)
    {
        try
        {
            var result = Fs.Create(Text(path), FuseLayout.OpenFlags(fileInfo), out var handle);
            FuseLayout.SetHandle(fileInfo, handle);
            return result;
        }
        catch (Exception error)
        {
            return Fail("create", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Read(byte* path, byte* buffer, nuint size, long offset, void* fileInfo)
    {
        try
        {
            return Fs.Read(FuseLayout.Handle(fileInfo), new Span<byte>(buffer, (int)Math.Min(size, int.MaxValue)), offset);
        }
        catch (Exception error)
        {
            return Fail("read", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Write(byte* path, byte* buffer, nuint size, long offset, void* fileInfo)
    {
        try
        {
            return Fs.Write(FuseLayout.Handle(fileInfo), new ReadOnlySpan<byte>(buffer, (int)Math.Min(size, int.MaxValue)), offset);
        }
        catch (Exception error)
        {
            return Fail("write", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Truncate(byte* path, long size, void* fileInfo)
    {
        try
        {
            return Fs.Truncate(Text(path), size, FuseLayout.Handle(fileInfo));
        }
        catch (Exception error)
        {
            return Fail("truncate", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Flush(byte* path, void* fileInfo)
    {
        try
        {
            return Fs.Flush(FuseLayout.Handle(fileInfo));
        }
        catch (Exception error)
        {
            return Fail("flush", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Fsync(byte* path, int dataOnly, void* fileInfo)
    {
        try
        {
            return Fs.Flush(FuseLayout.Handle(fileInfo));
        }
        catch (Exception error)
        {
            return Fail("fsync", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Release(byte* path, void* fileInfo)
    {
        try
        {
            return Fs.Release(FuseLayout.Handle(fileInfo));
        }
        catch (Exception error)
        {
            return Fail("release", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Mkdir(byte* path, uint mode)
    {
        try
        {
            return Fs.MakeDirectory(Text(path));
        }
        catch (Exception error)
        {
            return Fail("mkdir", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Rmdir(byte* path)
    {
        try
        {
            return Fs.RemoveDirectory(Text(path));
        }
        catch (Exception error)
        {
            return Fail("rmdir", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Unlink(byte* path)
    {
        try
        {
            return Fs.Unlink(Text(path));
        }
        catch (Exception error)
        {
            return Fail("unlink", path, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Rename(byte* from, byte* to, uint flags)
    {
        try
        {
            return Fs.Rename(Text(from), Text(to), flags);
        }
        catch (Exception error)
        {
            return Fail("rename", from, error);
        }
    }

    [UnmanagedCallersOnly]
    private static int Statfs(byte* path, byte* statvfs)
    {
        FuseLayout.FillStatvfs(statvfs);
        return 0;
    }

    /// <summary>chmod, chown and utimens: the file service keeps no owner, mode or settable time, so they change nothing and succeed (as sshfs does for what SFTP cannot set); an entry that does not exist is ENOENT.</summary>
    [UnmanagedCallersOnly]
    private static int Chmod(byte* path, uint mode, void* fileInfo) => Exists(path, fileInfo, "chmod");

    [UnmanagedCallersOnly]
    private static int Chown(byte* path, uint uid, uint gid, void* fileInfo) => Exists(path, fileInfo, "chown");

    [UnmanagedCallersOnly]
    private static int Utimens(byte* path, void* times, void* fileInfo) => Exists(path, fileInfo, "utimens");

    private static int Exists(byte* path, void* fileInfo, string operation)
    {
        try
        {
            return Fs.GetAttributes(Text(path), FuseLayout.Handle(fileInfo), out _);
        }
        catch (Exception error)
        {
            return Fail(operation, path, error);
        }
    }

    private static string Text(byte* path) => path is null ? string.Empty : Marshal.PtrToStringUTF8((nint)path) ?? string.Empty;

    private static int Fail(string operation, byte* path, Exception error)
    {
        var errno = Errno.From(error, out var expected);
        try
        {
            s_log?.Write(expected
                ? $"{operation} {Text(path)}: {error.Message}"
                : $"{operation} {Text(path)}: unexpected {error.GetType().Name}: {error}");
        }
        catch (Exception)
        {
            // Even the log line must not escape into libfuse.
        }

        return -errno;
    }

    [DllImport("libc")]
#pragma warning disable SYSLIB1054 // no marshalling: a plain DllImport is as cheap.
    private static extern uint getuid();

    [DllImport("libc")]
    private static extern uint getgid();
#pragma warning restore SYSLIB1054
}

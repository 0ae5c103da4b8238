using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Services.FileServer.FileSystem;

/// <summary>
/// The two libc calls .NET does not offer: statx(2), for the inode and the nanosecond mtime an ETag is made of, for
/// the file type without following a link and for the link count of an open file, and realpath(3), to check that a
/// path stays inside the root with every symbolic link resolved. statx's struct has one layout on every architecture,
/// unlike stat's.
/// </summary>
internal static partial class Native
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const uint StatxNlink = 0x4;

    /// <summary>The status of <paramref name="path"/>, of the link itself when <paramref name="follow"/> is false; false when it does not exist or cannot be read.</summary>
    public static bool TryStat(string path, bool follow, out FileStat stat)
    {
        var buffer = default(StatxBuffer);
        if (Statx(AtFdCwd, path, follow ? 0 : AtSymlinkNoFollow, StatxBasicStats, ref buffer) != 0)
        {
            stat = default;
            return false;
        }

        stat = From(buffer);
        return true;
    }

    /// <summary>The status of an open file, so that the size and ETag served belong to the bytes read.</summary>
    public static bool TryStat(SafeFileHandle handle, out FileStat stat)
    {
        var buffer = default(StatxBuffer);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxBasicStats, ref buffer) != 0)
            {
                stat = default;
                return false;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        stat = From(buffer);
        return true;
    }

    /// <summary>
    /// Whether an open file has no name left (its last link removed, as when its directory was deleted): one statx on
    /// the descriptor, no path walked. False when that cannot be read.
    /// </summary>
    public static bool IsUnlinked(SafeFileHandle handle)
    {
        var buffer = default(StatxBuffer);
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxNlink, ref buffer) == 0 && buffer.Links == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The canonical absolute path with every link resolved, or null when a component does not exist.</summary>
    public static string? RealPath(string path)
    {
        var resolved = RealPathNative(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    private static FileStat From(in StatxBuffer buffer) =>
        new(FileStat.KindOf(buffer.Mode), (long)buffer.Size, buffer.Inode, buffer.MtimeSeconds, buffer.MtimeNanoseconds);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);

    /// <summary>struct statx (linux/stat.h): the fields read here at their fixed offsets.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(16)]
        public uint Links;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(112)]
        public long MtimeSeconds;

        [FieldOffset(120)]
        public uint MtimeNanoseconds;
    }
}

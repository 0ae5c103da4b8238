using System.Runtime.InteropServices;

namespace Coap.Engine.Exchanges;

/// <summary>
/// Whether a thread sleeps in the kernel (waiting for the disk, a lock, anything) rather than running or waiting for a
/// core: the state field of /proc/self/task/TID/stat. Lets the request queue tell a worker blocked in a handler from
/// one that is merely slow or preempted. Linux only; elsewhere no thread is known to block.
/// </summary>
internal static partial class BlockedThreads
{
    /// <summary>Where the calling thread's state can be read later from another thread; null when it cannot.</summary>
    public static string? StatPathOfCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return $"/proc/self/task/{GetThreadId()}/stat";
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than glibc 2.30 has no gettid: no worker is ever taken to be blocked.
            return null;
        }
    }

    /// <summary>True when the thread whose stat file this is sleeps (state S or D); false when it runs, or on any doubt.</summary>
    public static bool IsSleeping(string? statPath)
    {
        if (statPath is null)
        {
            return false;
        }

        Span<byte> stat = stackalloc byte[512];
        int length;
        try
        {
            using var file = File.OpenHandle(statPath);
            length = RandomAccess.Read(file, stat, 0);
        }
        catch (IOException)
        {
            return false;
        }

        // "tid (comm) S ...": the state follows the last ')' (a thread's name may hold parentheses).
        var end = stat[..length].LastIndexOf((byte)')');
        return end >= 0 && end + 2 < length && stat[end + 2] is (byte)'S' or (byte)'D';
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}

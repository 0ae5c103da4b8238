using System.Runtime.InteropServices;

namespace Coap.Testing;

/// <summary>
/// Awaits the end of any process, not only a child, through a pidfd (Linux 5.3+): it becomes readable when the
/// process exits, whoever reaps it.
/// </summary>
public static class ProcessExit
{
    private const long PidfdOpen = 434;
    private const short PollIn = 0x1;

    /// <summary>True once <paramref name="pid"/> has exited (or is gone already); false if it still runs after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WithinAsync(int pid, TimeSpan timeout)
    {
        var fd = (int)syscall(PidfdOpen, pid, 0);
        if (fd < 0)
        {
            return true;
        }

        try
        {
            return await Task.Run(() =>
            {
                var entries = new[] { new PollFd { Fd = fd, Events = PollIn } };
                return poll(entries, 1, (int)timeout.TotalMilliseconds) == 1;
            });
        }
        finally
        {
            close(fd);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, int pid, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int poll([In, Out] PollFd[] fds, ulong count, int timeout);

    [DllImport("libc")]
    private static extern int close(int fd);
}

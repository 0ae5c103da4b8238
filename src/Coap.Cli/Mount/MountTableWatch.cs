using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Coap.Cli.Mount;

/// <summary>
/// Waits for the mount table to change instead of re-reading it on a timer: poll(2) on /proc/self/mounts reports
/// POLLPRI once a mount or an unmount happened since the file was opened or last reported. Open the watch first,
/// then check <see cref="MountTable"/>, then wait: a change in between is not missed.
/// </summary>
internal sealed partial class MountTableWatch : IDisposable
{
    private const short PollPri = 0x002;
    private const short PollErr = 0x008;
    private const int Interrupted = 4;

    private readonly SafeFileHandle _table = File.OpenHandle("/proc/self/mounts", FileMode.Open, FileAccess.Read);

    /// <summary>
    /// True when the table changed within <paramref name="timeout"/>, false when it did not. The wait runs on a
    /// thread of its own; disposing the watch meanwhile is safe (the file is closed once the wait is over).
    /// </summary>
    public Task<bool> NextChangeAsync(TimeSpan timeout) =>
        Task.Factory.StartNew(() => WaitForChange(timeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose() => _table.Dispose();

    private bool WaitForChange(TimeSpan timeout)
    {
        var added = false;
        try
        {
            _table.DangerousAddRef(ref added);
            var entry = new PollEntry { Descriptor = (int)_table.DangerousGetHandle(), Events = PollPri | PollErr };
            var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
            while (true)
            {
                var ready = Poll(ref entry, 1, milliseconds);
                if (ready >= 0)
                {
                    return ready > 0;
                }

                if (Marshal.GetLastPInvokeError() != Interrupted)
                {
                    return false;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                _table.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollEntry entry, nuint count, int timeoutMilliseconds);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollEntry
    {
        public int Descriptor;
        public short Events;
        public short Returned;
    }
}

using System.Runtime.InteropServices;

namespace Coap.Cli.Clock;

/// <summary>Steps CLOCK_REALTIME with clock_settime(2); only root may.</summary>
internal sealed partial class SystemClockStepper : IClockStepper
{
    private const int ClockRealtime = 0;

    public static SystemClockStepper Instance { get; } = new();

    public bool TryStep(TimeSpan offset, out string error)
    {
        if (!OperatingSystem.IsLinux())
        {
            error = "--set is supported on Linux only";
            return false;
        }

        if (GetEffectiveUserId() != 0)
        {
            error = "--set needs root: only root may step the system clock";
            return false;
        }

        var target = DateTimeOffset.UtcNow + offset;
        var ticks = (target - DateTimeOffset.UnixEpoch).Ticks;
        var value = new TimeSpec(Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder), remainder * 100);
        if (SetTime(ClockRealtime, in value) != 0)
        {
            error = $"clock_settime failed (errno {Marshal.GetLastPInvokeError()})";
            return false;
        }

        error = string.Empty;
        return true;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "clock_settime", SetLastError = true)]
    private static partial int SetTime(int clock, in TimeSpec value);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);
}

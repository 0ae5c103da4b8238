using System.Globalization;

namespace Coap.Bench.Load;

/// <summary>CPU time (user + system, all threads) of another process, read from /proc/PID/stat (Linux only).</summary>
internal static class ServerCpu
{
    /// <summary>USER_HZ, the unit of utime and stime; 100 on every mainstream Linux build.</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>Seconds of CPU used so far, or null when the process cannot be read.</summary>
    public static double? ReadSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name in field 2 may hold spaces and parentheses: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (user + system) / ClockTicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}

using System.Globalization;

namespace Interop.Tests.Terminal;

/// <summary>
/// The terminal sessions this test process runs: its children that lead a session of their own (the terminal service
/// starts each program with setsid; other children of the test process do not), read from /proc.
/// </summary>
internal static class TerminalSessionProcesses
{
    public static IReadOnlyList<int> Current()
    {
        var self = Environment.ProcessId;
        var leaders = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[1] == self.ToString(CultureInfo.InvariantCulture) && fields[3] == pid.ToString(CultureInfo.InvariantCulture))
            {
                leaders.Add(pid);
            }
        }

        return leaders;
    }
}

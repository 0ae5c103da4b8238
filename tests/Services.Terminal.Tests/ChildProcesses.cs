using System.Globalization;

namespace Services.Terminal.Tests;

/// <summary>The children of the test process, read from /proc: what a session starts and must not leave behind.</summary>
internal static class ChildProcesses
{
    /// <summary>The process ids whose parent is this process, zombies included (a child not reaped is a leak too).</summary>
    public static IReadOnlyList<int> Current()
    {
        var self = Environment.ProcessId;
        var children = new List<int>();
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

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == self)
            {
                children.Add(pid);
            }
        }

        return children;
    }
}

using System.Globalization;

namespace Services.Terminal.Pty;

/// <summary>The processes of a session, read from /proc: a hang-up must reach background jobs in process groups of their own too.</summary>
internal static class ProcessTable
{
    /// <summary>The ids of the processes whose session id is <paramref name="session"/>.</summary>
    public static List<int> SessionMembers(int session)
    {
        var members = new List<int>();
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
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 3 && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var sid) && sid == session)
            {
                members.Add(pid);
            }
        }

        return members;
    }
}

using System.Globalization;

namespace Coap.Testing;

/// <summary>One line of the process table: a process's id, state, parent, process group and session, from /proc/PID/stat.</summary>
public readonly record struct ProcessEntry(int Pid, char State, int Parent, int Group, int Session)
{
    public bool IsZombie => State == 'Z';
}

/// <summary>The process table read from /proc, for tests that prove which processes were started or left behind.</summary>
public static class ProcessTable
{
    /// <summary>Every process readable now; one that ends while being read is left out.</summary>
    public static List<ProcessEntry> Read()
    {
        var entries = new List<ProcessEntry>();
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
            entries.Add(new ProcessEntry(pid, fields[0][0], Number(fields[1]), Number(fields[2]), Number(fields[3])));
        }

        return entries;
    }

    /// <summary>The children of this process, zombies included (a child not reaped is a leak too).</summary>
    public static List<int> Children() => [.. Read().Where(p => p.Parent == Environment.ProcessId).Select(p => p.Pid)];

    /// <summary>The children of this process that lead a session of their own (started with setsid).</summary>
    public static List<int> SessionLeadingChildren() =>
        [.. Read().Where(p => p.Parent == Environment.ProcessId && p.Session == p.Pid).Select(p => p.Pid)];

    /// <summary>The live (not zombie) processes of the session <paramref name="session"/>, its leader included.</summary>
    public static List<int> SessionMembers(int session) =>
        [.. Read().Where(p => p.Session == session && !p.IsZombie).Select(p => p.Pid)];

    private static int Number(string field) => int.Parse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace Coap.Fuzzing;

/// <summary>
/// What a process holds, read from /proc (Linux): resident memory, open file descriptors and threads, and which of
/// its descriptors are open on files below a directory.
/// </summary>
public readonly record struct ProcessFigures(long ResidentKiB, int OpenFiles, int Threads)
{
    public static ProcessFigures Of(int pid)
    {
        long resident = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ProcessFigures(resident, Directory.GetFiles($"/proc/{pid}/fd").Length, threads);
    }

    /// <summary>The files below <paramref name="directory"/> that process <paramref name="pid"/> has open.</summary>
    public static List<string> OpenFilesBelow(int pid, string directory)
    {
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + "/";
        return [.. OpenTargets(pid).Where(target => target.StartsWith(prefix, StringComparison.Ordinal))];
    }

    /// <summary>
    /// What each open descriptor of process <paramref name="pid"/> refers to: a path, "socket:[…]", "pipe:[…]",
    /// "anon_inode:…".
    /// </summary>
    public static List<string> OpenTargets(int pid)
    {
        var targets = new List<string>();
        foreach (var descriptor in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(descriptor).LinkTarget is { } target)
                {
                    targets.Add(target);
                }
            }
            catch (IOException)
            {
                // Closed between the listing and the read.
            }
        }

        return targets;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"RSS {ResidentKiB / 1024.0:F1} MiB, {OpenFiles} fds, {Threads} threads");
}

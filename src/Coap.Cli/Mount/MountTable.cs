namespace Coap.Cli.Mount;

/// <summary>Reads /proc/mounts: whether a directory is a mount point now.</summary>
internal static class MountTable
{
    public static bool IsMounted(string mountPoint)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint));
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 1 && Unescape(fields[1]) == full)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>/proc/mounts writes space, tab, newline and backslash as octal escapes (\040 …).</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}

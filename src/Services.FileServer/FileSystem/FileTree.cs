namespace Services.FileServer.FileSystem;

/// <summary>
/// Walks below a directory without following links: a link is an entry like a file (deleted, never descended), so a
/// recursive delete or a clean-up never leaves the tree it started in.
/// </summary>
internal static class FileTree
{
    /// <summary>Every entry, hidden ones included, and no error for an entry that vanishes meanwhile.</summary>
    private static readonly EnumerationOptions All = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };

    /// <summary>Deletes a directory and everything in it; links are unlinked, not followed.</summary>
    public static void DeleteRecursive(string directory)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", All))
        {
            if (Native.TryStat(path, false, out var stat) && stat.Kind == FileKind.Directory)
            {
                DeleteRecursive(path);
            }
            else
            {
                File.Delete(path);
            }
        }

        Directory.Delete(directory);
    }

    /// <summary>Deletes the files below <paramref name="directory"/> whose names match; how many it deleted.</summary>
    public static int DeleteFiles(string directory, Func<string, bool> match)
    {
        var deleted = 0;
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", All))
        {
            if (!Native.TryStat(path, false, out var stat))
            {
                continue;
            }

            if (stat.Kind == FileKind.Directory)
            {
                deleted += DeleteFiles(path, match);
            }
            else if (stat.Kind == FileKind.File && match(System.IO.Path.GetFileName(path)))
            {
                File.Delete(path);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>
    /// The bytes the regular files below <paramref name="directory"/> hold, upload temp files left out: an upload
    /// counts once it is committed (the commit checks the quota again).
    /// </summary>
    public static long TotalBytes(string directory)
    {
        long total = 0;
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", All))
        {
            if (!TempFile.IsTempName(System.IO.Path.GetFileName(path)) && Native.TryStat(path, false, out var stat))
            {
                total += stat.Kind switch
                {
                    FileKind.Directory => TotalBytes(path),
                    FileKind.File => stat.Size,
                    _ => 0,
                };
            }
        }

        return total;
    }
}

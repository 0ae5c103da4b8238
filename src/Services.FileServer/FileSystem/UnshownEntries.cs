namespace Services.FileServer.FileSystem;

/// <summary>
/// What a directory tree holds that the file service never shows: hidden names (but its own upload temp files),
/// special files (FIFOs, sockets, devices) and links leading out of the root. A recursive DELETE is refused while
/// any is there, so a client cannot remove what it cannot see.
/// </summary>
internal static class UnshownEntries
{
    private static readonly EnumerationOptions All = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };

    /// <summary>Why the tree below <paramref name="directory"/> holds an unshown entry, or null when it holds none.</summary>
    public static string? Find(FileRoot root, string directory)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", All))
        {
            var name = System.IO.Path.GetFileName(path);
            if (name.StartsWith('.'))
            {
                if (TempFile.IsTempName(name))
                {
                    continue;
                }

                return "hidden entries";
            }

            var entry = root.ResolveEntry(directory, name);
            var reason = entry.Outcome switch
            {
                PathOutcome.Outside => "links that lead outside the served directory",
                PathOutcome.Special => "special files",
                _ when entry.IsDirectory && !entry.IsLink => Find(root, entry.Entry),
                _ => null,
            };
            if (reason is not null)
            {
                return reason;
            }
        }

        return null;
    }
}

namespace Services.FileServer.FileSystem;

/// <summary>
/// The served directory, and the only way from a request's names to a path: every path is checked with its links
/// resolved (realpath(3) of the parent and of the entry) so that nothing outside the root is read, listed, written
/// or deleted. Names are checked by <see cref="RequestPath"/> before they get here.
/// </summary>
/// <remarks>
/// The check and the use of a path are separate system calls: someone with write access inside the root could swap a
/// directory for a link between them. The file service guards against its clients, not against local users.
/// </remarks>
internal sealed class FileRoot
{
    private readonly string _prefix;
    private readonly IDirectorySync _sync;

    /// <summary>Creates <paramref name="root"/> when missing (relative to the working directory) and resolves it.</summary>
    public FileRoot(string root, IDirectorySync sync)
    {
        _sync = sync;
        var full = System.IO.Path.GetFullPath(root);
        Directory.CreateDirectory(full);
        Path = Native.RealPath(full) ?? throw new IOException($"{FileServerOptions.SectionName}:Root '{root}' cannot be resolved.");
        _prefix = Path.EndsWith('/') ? Path : Path + "/";
    }

    /// <summary>The root's real path.</summary>
    public string Path { get; }

    /// <summary>Whether a real path is the root or below it.</summary>
    public bool Contains(string realPath) => realPath == Path || realPath.StartsWith(_prefix, StringComparison.Ordinal);

    /// <summary>
    /// Whether a real path inside the root passes through a hidden name: a link to ".git/config" or to an upload's
    /// temp file must not serve what the name itself would not.
    /// </summary>
    private bool IsHidden(string realPath) =>
        realPath.Length > _prefix.Length && (realPath[_prefix.Length] == '.' || realPath.AsSpan(_prefix.Length).Contains("/.", StringComparison.Ordinal));

    /// <summary>Resolves the names (no empty, dot or hidden names: <see cref="RequestPath"/> refused those).</summary>
    public ResolvedPath Resolve(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return Native.TryStat(Path, true, out var own) ? new ResolvedPath(PathOutcome.Found, null, Path, Path, own) : new ResolvedPath(PathOutcome.Special);
        }

        var parent = Native.RealPath(Join(Path, names, names.Count - 1));
        if (parent is not null && !Contains(parent))
        {
            return new ResolvedPath(PathOutcome.Outside);
        }

        if (parent is not null && IsHidden(parent))
        {
            return new ResolvedPath(PathOutcome.Special);
        }

        if (parent is null || !Native.TryStat(parent, true, out var parentStat) || parentStat.Kind != FileKind.Directory)
        {
            return new ResolvedPath(PathOutcome.ParentMissing);
        }

        return ResolveEntry(parent, names[^1]);
    }

    /// <summary>The entry <paramref name="name"/> of the real directory <paramref name="parent"/>.</summary>
    public ResolvedPath ResolveEntry(string parent, string name)
    {
        var entry = System.IO.Path.Join(parent, name);
        if (!Native.TryStat(entry, false, out var stat))
        {
            return new ResolvedPath(PathOutcome.Missing, parent, entry);
        }

        var real = entry;
        var isLink = stat.Kind == FileKind.Link;
        if (isLink)
        {
            real = Native.RealPath(entry) ?? string.Empty;
            if (real.Length == 0 || !Native.TryStat(real, true, out stat))
            {
                return new ResolvedPath(PathOutcome.Special, parent, entry);
            }

            if (!Contains(real))
            {
                return new ResolvedPath(PathOutcome.Outside, parent, entry);
            }

            if (IsHidden(real))
            {
                return new ResolvedPath(PathOutcome.Special, parent, entry);
            }
        }

        var outcome = stat.Kind is FileKind.File or FileKind.Directory ? PathOutcome.Found : PathOutcome.Special;
        return new ResolvedPath(outcome, parent, entry, real, stat, isLink);
    }

    /// <summary>
    /// Creates the missing directories above the last name, one level at a time, each checked to be a directory
    /// inside the root and its parent flushed to the disk; the real path of the last one, or null when a name on the
    /// way is a file or leads outside.
    /// </summary>
    public string? CreateParents(IReadOnlyList<string> names)
    {
        var current = Path;
        for (var i = 0; i < names.Count - 1; i++)
        {
            var next = ResolveEntry(current, names[i]);
            if (next.Outcome == PathOutcome.Missing)
            {
                Directory.CreateDirectory(next.Entry);
                _sync.Flush(current);
                current = next.Entry;
                continue;
            }

            if (!next.IsDirectory)
            {
                return null;
            }

            current = next.Real;
        }

        return current;
    }

    private static string Join(string root, IReadOnlyList<string> names, int count)
    {
        var path = root;
        for (var i = 0; i < count; i++)
        {
            path = System.IO.Path.Join(path, names[i]);
        }

        return path;
    }
}

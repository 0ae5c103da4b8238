namespace Services.FileServer.FileSystem;

/// <summary>
/// Where a request's names lead under the root. <see cref="Entry"/> is the entry itself (a link is not followed:
/// deleting or replacing it acts on the link), <see cref="Real"/> its target with every link resolved.
/// </summary>
internal sealed record ResolvedPath(PathOutcome Outcome, string? Parent = null, string Entry = "", string Real = "", FileStat Stat = default, bool IsLink = false)
{
    public bool Exists => Outcome == PathOutcome.Found;

    public bool IsDirectory => Exists && Stat.Kind == FileKind.Directory;

    public bool IsFile => Exists && Stat.Kind == FileKind.File;
}

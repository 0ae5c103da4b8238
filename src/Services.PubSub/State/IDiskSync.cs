namespace Services.PubSub.State;

/// <summary>
/// How the state store makes what it wrote durable: the one seam through which a test counts the broker's syncs.
/// <see cref="DiskSync"/> is the real one.
/// </summary>
internal interface IDiskSync
{
    /// <summary>fsync(2) of one file just written.</summary>
    void File(FileStream file);

    /// <summary>Several files just written and closed, made durable together: one call, however many files.</summary>
    void Files(string directory, IReadOnlyList<string> paths);

    /// <summary>fsync(2) of a directory, so that the renames, moves and deletions in it survive a crash.</summary>
    void Directory(string directory);
}

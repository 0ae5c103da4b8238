namespace Services.FileServer.FileSystem;

/// <summary>What resolving a path under the root found.</summary>
internal enum PathOutcome
{
    /// <summary>A regular file or a directory inside the root.</summary>
    Found,

    /// <summary>The parent directory exists inside the root; the entry does not.</summary>
    Missing,

    /// <summary>A parent directory is missing (or is not a directory).</summary>
    ParentMissing,

    /// <summary>The path or a link on it leads outside the root.</summary>
    Outside,

    /// <summary>A socket, device, FIFO, dangling link or a link to a hidden name: never served.</summary>
    Special,
}

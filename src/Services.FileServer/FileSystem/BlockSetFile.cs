namespace Services.FileServer.FileSystem;

/// <summary>
/// The open file the blocks of one Q-Block2 set are read from (<c>CoapRequestContext.BlockSetState</c>): its status
/// and ETag were checked against its path once, for the set's first block, and hold for the rest of the set.
/// </summary>
internal sealed class BlockSetFile(string key, OpenFileLease lease) : IDisposable
{
    /// <summary>The file's path below the root, as <see cref="OpenFileCache"/> keys it.</summary>
    public string Key { get; } = key;

    public OpenFile File => lease.File;

    public void Dispose() => lease.Dispose();
}

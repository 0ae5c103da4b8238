namespace Services.FileServer.FileSystem;

/// <summary>
/// The open file the blocks of one Q-Block2 set are read from (<c>CoapRequestContext.BlockSetState</c>): its path was
/// resolved and its status and ETag checked against the path once, for the set's first block, and hold for the rest
/// of the set, which asks for the same path (only its Block2 option differs from block to block).
/// </summary>
internal sealed class BlockSetFile(OpenFileLease lease, int format) : IDisposable
{
    public OpenFile File => lease.File;

    /// <summary>The file's Content-Format, by its name.</summary>
    public int Format { get; } = format;

    public void Dispose() => lease.Dispose();
}

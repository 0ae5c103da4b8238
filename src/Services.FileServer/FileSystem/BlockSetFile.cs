namespace Services.FileServer.FileSystem;

/// <summary>
/// The open file the blocks of one Q-Block2 set are read from (<c>CoapRequestContext.BlockSetState</c>): its path was
/// resolved and its status and ETag checked against the path once, for the set's first block, and hold for the rest
/// of the set, which asks for the same path (only its Block2 option differs from block to block). A set that goes on
/// block after block is read in chunks of 4 blocks, then twice as many each time up to <see cref="ReadAhead"/> bytes
/// (a set is MAX_PAYLOADS blocks, 10 by default: reading far past its end would be wasted), each block a slice of
/// its chunk (never written again: a response keeps its slice for as long as it needs); listed blocks are read alone.
/// </summary>
internal sealed class BlockSetFile(OpenFileLease lease, int format) : IDisposable
{
    /// <summary>The bytes read at once while the set goes on from one block to the next: under the large-object heap's 85 000.</summary>
    public const int ReadAhead = 32 * 1024;

    private byte[] _chunk = [];
    private long _chunkOffset;
    private int _chunkLength;
    private long _next = -1;
    private int _ahead;

    public OpenFile File => lease.File;

    /// <summary>The file's Content-Format, by its name.</summary>
    public int Format { get; } = format;

    /// <summary>
    /// Up to <paramref name="length"/> bytes at <paramref name="offset"/> (fewer where the file ends): from the last
    /// chunk when it holds them, otherwise from a new chunk read at the offset: a larger one each time (see the class)
    /// when the block follows the previous one, the block alone when not.
    /// </summary>
    public ReadOnlyMemory<byte> Read(long offset, int length)
    {
        var follows = offset == _next;
        _next = offset + length;
        if (offset < _chunkOffset || offset + length > _chunkOffset + _chunkLength)
        {
            if (follows)
            {
                _ahead = Math.Min(Math.Max(_ahead * 2, 4 * length), ReadAhead);
            }

            _chunk = new byte[follows ? (int)Math.Clamp(File.Stat.Size - offset, length, Math.Max(_ahead, length)) : length];
            _chunkOffset = offset;
            _chunkLength = FileReads.ReadFully(File.Handle, _chunk, offset);
            if (_chunkLength < length)
            {
                // The file ended early (it shrank): these bytes only, and the next block reads afresh.
                var part = _chunk.AsMemory(0, _chunkLength);
                _chunkLength = 0;
                return part;
            }
        }

        return _chunk.AsMemory((int)(offset - _chunkOffset), length);
    }

    public void Dispose() => lease.Dispose();
}

namespace Coap.Engine.Blockwise;

/// <summary>
/// One unfinished Block1 upload: the bytes received so far (or the resource's sink), how far it got, what it counts
/// against the upload limits, and the timer that abandons it after EXCHANGE_LIFETIME without a block. Mutated only
/// under the stage's lock.
/// </summary>
internal sealed class PendingUpload
{
    private byte[] _buffer = [];

    public PendingUpload(UploadKey key)
    {
        Key = key;
    }

    public UploadKey Key { get; }

    /// <summary>The resource's sink for a streamed upload; null when the stage assembles the body.</summary>
    public ICoapUploadSink? Sink { get; set; }

    /// <summary>Bytes received so far: the offset the next block must start at.</summary>
    public long Received { get; set; }

    /// <summary>The bytes of the buffer that assembles the body.</summary>
    public long Capacity => _buffer.Length;

    /// <summary>What the upload counts against Coap:MaxPendingUploadBytes and its peer's share, until released.</summary>
    public long ChargedBytes { get; set; }

    /// <summary>Whether the upload counts against Coap:MaxOpenUploads and its peer's share, until released.</summary>
    public bool ChargedFile { get; set; }

    public ITimer? Expiry { get; set; }

    /// <summary>The state of a Q-Block1 upload (RFC 9177); null for Block1.</summary>
    public QBlock1State? QBlock { get; init; }

    /// <summary>The assembled body so far.</summary>
    public ReadOnlyMemory<byte> Body => _buffer.AsMemory(0, (int)Received);

    /// <summary>How many bytes the buffer must grow by to hold <paramref name="length"/> more bytes, preferring to double.</summary>
    public long GrowthFor(int length, long maxBody, bool exact)
    {
        var needed = Received + length;
        if (needed <= _buffer.Length)
        {
            return 0;
        }

        var target = exact ? needed : Math.Max(needed, Math.Min(2L * _buffer.Length, maxBody));
        return target - _buffer.Length;
    }

    /// <summary>Grows the buffer by <paramref name="growth"/> bytes and appends the block.</summary>
    public void Append(ReadOnlySpan<byte> block, long growth)
    {
        if (growth > 0)
        {
            Array.Resize(ref _buffer, (int)(_buffer.Length + growth));
        }

        block.CopyTo(_buffer.AsSpan((int)Received));
        Received += block.Length;
    }
}

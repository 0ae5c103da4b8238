namespace Services.Terminal.Sessions;

/// <summary>
/// The scroll-ring: the last <see cref="Capacity"/> bytes of a session's output, addressed by their offset in the whole
/// output since the session started, so that readers can ask for "from offset N" and learn what has been overwritten.
/// Not thread-safe; the session guards it.
/// </summary>
internal sealed class OutputRing
{
    private readonly byte[] _buffer;

    public OutputRing(int capacity)
    {
        _buffer = new byte[capacity];
    }

    /// <summary>The offset just past the newest byte: how many bytes were ever written.</summary>
    public long End { get; private set; }

    /// <summary>The offset of the oldest byte still held.</summary>
    public long Oldest => Math.Max(0, End - _buffer.Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _buffer.Length)
        {
            End += data.Length - _buffer.Length;
            data = data[^_buffer.Length..];
        }

        var start = (int)(End % _buffer.Length);
        var first = Math.Min(data.Length, _buffer.Length - start);
        data[..first].CopyTo(_buffer.AsSpan(start));
        data[first..].CopyTo(_buffer);
        End += data.Length;
    }

    /// <summary>Copies up to <paramref name="maxLength"/> bytes from <paramref name="offset"/>, which must lie within [Oldest, End].</summary>
    public byte[] Copy(long offset, int maxLength = int.MaxValue)
    {
        if (offset < Oldest || offset > End)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The ring holds [{Oldest}, {End}).");
        }

        var length = (int)Math.Min(End - offset, maxLength);
        var copy = new byte[length];
        var start = (int)(offset % _buffer.Length);
        var first = Math.Min(length, _buffer.Length - start);
        _buffer.AsSpan(start, first).CopyTo(copy);
        _buffer.AsSpan(0, length - first).CopyTo(copy.AsSpan(first));
        return copy;
    }
}

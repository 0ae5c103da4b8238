namespace Services.Terminal.Sessions;

/// <summary>
/// Keystrokes waiting for the pseudo-terminal, bounded so that a child that stops reading cannot make the server hold
/// unbounded input; <see cref="Next"/> counts every byte ever accepted, so that re-sent input (an "offset, bytes" pair)
/// can skip what is already here. Thread-safe.
/// </summary>
internal sealed class InputQueue
{
    private readonly Lock _gate = new();
    private readonly byte[] _buffer;
    private int _start;
    private int _count;
    private long _next;

    public InputQueue(int capacity)
    {
        _buffer = new byte[capacity];
    }

    /// <summary>The input offset the next new byte will have.</summary>
    public long Next
    {
        get
        {
            lock (_gate)
            {
                return _next;
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _count == 0;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="data"/> whose first byte has input offset <paramref name="offset"/>: a pair's new bytes are
    /// taken as far as there is room (<see cref="Next"/> then tells the sender where to go on), bytes without an offset
    /// (null) whole or not at all; <see cref="InputOutcome.Full"/> when nothing new could be taken.
    /// </summary>
    public InputOutcome Enqueue(long? offset, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var skip = 0L;
            if (offset is { } at)
            {
                if (at > _next)
                {
                    return InputOutcome.Gap;
                }

                skip = Math.Min(_next - at, data.Length);
            }

            var fresh = data[(int)skip..];
            var room = _buffer.Length - _count;
            if (fresh.Length > room)
            {
                if (offset is null || room == 0)
                {
                    return InputOutcome.Full;
                }

                fresh = fresh[..room];
            }

            var end = (_start + _count) % _buffer.Length;
            var first = Math.Min(fresh.Length, _buffer.Length - end);
            fresh[..first].CopyTo(_buffer.AsSpan(end));
            fresh[first..].CopyTo(_buffer);

            _count += fresh.Length;
            _next += fresh.Length;
            return InputOutcome.Accepted;
        }
    }

    /// <summary>Copies queued bytes into <paramref name="destination"/> without removing them; returns how many.</summary>
    public int Peek(Span<byte> destination)
    {
        lock (_gate)
        {
            var length = Math.Min(destination.Length, _count);
            var first = Math.Min(length, _buffer.Length - _start);
            _buffer.AsSpan(_start, first).CopyTo(destination);
            _buffer.AsSpan(0, length - first).CopyTo(destination[first..]);
            return length;
        }
    }

    /// <summary>Removes the first <paramref name="count"/> bytes, once written.</summary>
    public void Consume(int count)
    {
        lock (_gate)
        {
            _start = (_start + count) % _buffer.Length;
            _count -= count;
        }
    }
}

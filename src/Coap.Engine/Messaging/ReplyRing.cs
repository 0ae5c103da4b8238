namespace Coap.Engine.Messaging;

/// <summary>
/// The encoded replies duplicate detection may have to send again, in 1 MiB slabs used as one ring. A stored reply is
/// a position and a length, so the deduplication table holds no message objects: half a million remembered replies
/// are no work for the garbage collector, where message objects made full collections take hundreds of milliseconds.
/// Slabs are allocated as the ring first reaches them; once all are in use the oldest replies are overwritten, and a
/// reply overwritten before its duplicate came is reported as gone. Callers hold the endpoint's lock.
/// </summary>
internal sealed class ReplyRing
{
    public const int SlabSize = 1 << 20;

    private readonly byte[]?[] _slabs;
    private long _head;

    public ReplyRing(int slabCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slabCount, 1);
        _slabs = new byte[slabCount][];
    }

    /// <summary>How many bytes the ring holds before it overwrites the oldest.</summary>
    public long Capacity => (long)_slabs.Length * SlabSize;

    /// <summary>How many slabs have been allocated so far.</summary>
    public int AllocatedSlabs => _slabs.Count(slab => slab is not null);

    /// <summary>Copies <paramref name="bytes"/> in and returns where they start; a reply never spans two slabs.</summary>
    public long Store(ReadOnlySpan<byte> bytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes.Length, SlabSize);
        var offset = (int)(_head % SlabSize);
        if (offset + bytes.Length > SlabSize)
        {
            _head += SlabSize - offset;
            offset = 0;
        }

        var slab = _slabs[(int)(_head / SlabSize % _slabs.Length)] ??= new byte[SlabSize];
        bytes.CopyTo(slab.AsSpan(offset));
        var start = _head;
        _head += bytes.Length;
        return start;
    }

    /// <summary>A copy of the bytes stored at <paramref name="start"/>, or null once the ring has written over them.</summary>
    public byte[]? Read(long start, int length)
    {
        if (start < 0 || _head > start + Capacity)
        {
            return null;
        }

        var slab = _slabs[(int)(start / SlabSize % _slabs.Length)]!;
        return slab.AsSpan((int)(start % SlabSize), length).ToArray();
    }
}

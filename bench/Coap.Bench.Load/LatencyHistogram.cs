using System.Numerics;

namespace Coap.Bench.Load;

/// <summary>
/// A log-linear histogram of latencies in tenths of a microsecond: exact below 204.8 µs, then 1024 sub-buckets per
/// power of two (under 0.1 % error). Fixed size, so recording never allocates; one per worker, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 10;
    private const int LinearLimit = 1 << (SubBucketBits + 1);
    private const int BucketCount = (64 - SubBucketBits + 1) << SubBucketBits;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    public long Max { get; private set; }

    /// <summary>Records one latency given in tenths of a microsecond.</summary>
    public void Record(long tenthsOfMicroseconds)
    {
        var value = Math.Max(0, tenthsOfMicroseconds);
        _counts[IndexOf(value)]++;
        Count++;
        if (value > Max)
        {
            Max = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), in tenths of a microsecond; 0 when empty.</summary>
    public long ValueAt(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(LowerBoundOf(i), Max);
            }
        }

        return Max;
    }

    private static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits;
        return (shift << SubBucketBits) + (int)(value >> shift);
    }

    private static long LowerBoundOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var shift = (index >> SubBucketBits) - 1;
        return (long)(index - (shift << SubBucketBits)) << shift;
    }
}

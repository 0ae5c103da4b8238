namespace Coap.Engine.Oscore;

/// <summary>
/// The replay window of a Recipient Context (RFC 8613 §7.4), in aiocoap's representation so that its
/// sequence.json is ours: <see cref="Index"/> is the lowest number still judged and bit i of <see cref="Bitfield"/>
/// says whether Index + i was seen; numbers below Index are refused, numbers at or past Index + Size are new and move
/// the window. Not thread-safe: the security context locks around it.
/// </summary>
public sealed class OscoreReplayWindow
{
    public const int DefaultSize = 32;

    public const int MaxSize = 64;

    public OscoreReplayWindow(int size = DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
        Size = size;
    }

    public int Size { get; }

    /// <summary>False after a restart without a trustworthy window: every request needs the Echo recovery of §B.1.2.</summary>
    public bool IsInitialized { get; private set; }

    public long Index { get; private set; }

    public ulong Bitfield { get; private set; }

    /// <summary>A new context: nothing seen yet.</summary>
    public void InitializeEmpty() => Initialize(0, 0);

    /// <summary>A window as persisted (aiocoap's "received": {"index", "bitfield"}).</summary>
    public void Initialize(long index, ulong bitfield)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Index = index;
        Bitfield = Size == 64 ? bitfield : bitfield & ((1UL << Size) - 1);
        IsInitialized = true;
    }

    /// <summary>§B.1.2: <paramref name="seen"/> comes from a request proven fresh by Echo; it and all before it are spent.</summary>
    public void InitializeFromFreshlySeen(long seen) => Initialize(seen, 1);

    public bool IsValid(long number)
    {
        if (!IsInitialized || number < Index)
        {
            return false;
        }

        return number - Index >= Size || ((Bitfield >> (int)(number - Index)) & 1) == 0;
    }

    /// <summary>Marks a number seen; false (nothing changed) when it is not valid.</summary>
    public bool StrikeOut(long number)
    {
        if (!IsValid(number))
        {
            return false;
        }

        var overshoot = number - (Index + Size - 1);
        if (overshoot > 0)
        {
            Index += overshoot;
            Bitfield = overshoot >= 64 ? 0 : Bitfield >> (int)overshoot;
        }

        Bitfield |= 1UL << (int)(number - Index);
        return true;
    }
}

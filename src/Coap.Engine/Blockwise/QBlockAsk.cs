namespace Coap.Engine.Blockwise;

/// <summary>
/// One Q-Block2 request of a <see cref="QBlockDownload"/>: the blocks it listed (ascending, as the server answers
/// them), when it went, how many of them are still outstanding, and how far the answers have come (the cursor past
/// the last block answered). Reused for later requests once none of its blocks is outstanding.
/// </summary>
internal sealed class QBlockAsk(int capacity)
{
    public int[] Blocks { get; } = new int[capacity];

    public int Count { get; private set; }

    public long At { get; private set; }

    /// <summary>How many blocks the transfer had received when the request went (for delivery-rate samples).</summary>
    public long Delivered { get; private set; }

    /// <summary>Listed blocks neither received nor judged lost yet.</summary>
    public int Left { get; set; }

    /// <summary>The listed blocks before this index are answered or judged lost.</summary>
    public int Cursor { get; set; }

    public void Reset(long at, long delivered)
    {
        At = at;
        Delivered = delivered;
        Count = 0;
        Left = 0;
        Cursor = 0;
    }

    public void Add(int number) => Blocks[Count++] = number;

    /// <summary>The request went again (a probe repeated with an Echo): its round trip starts anew.</summary>
    public void Restart(long at) => At = at;
}

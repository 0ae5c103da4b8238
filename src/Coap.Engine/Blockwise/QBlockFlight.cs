namespace Coap.Engine.Blockwise;

/// <summary>
/// The blocks of a Q-Block1 upload sent and not yet acknowledged (or given up as lost), with when each was last sent,
/// and how many of them are still in flight: sent less than a horizon ago. The sends are kept in the order they were
/// made, so the count and the oldest block in flight cost nothing per call beyond the sends that left the horizon
/// since the last one: a window of 128 blocks is not walked for every block sent.
/// </summary>
internal sealed class QBlockFlight
{
    /// <summary>Per block, the sequence number of its last send while outstanding; 0 when it is not outstanding.</summary>
    private readonly long[] _sequence;
    private readonly long[] _sentAt;
    private readonly Queue<(int Number, long Sequence, long At)> _sends = new();
    private long _nextSequence = 1;

    /// <summary>Sends up to this sequence number left the queue: they are no longer counted in flight.</summary>
    private long _left;

    /// <summary>Outstanding blocks whose last send is still in the queue.</summary>
    private int _live;

    public QBlockFlight(int blocks)
    {
        _sequence = new long[blocks];
        _sentAt = new long[blocks];
    }

    /// <summary>Blocks outstanding, in flight or not.</summary>
    public int Count { get; private set; }

    /// <summary>A block went (again) at <paramref name="at"/>.</summary>
    public void Sent(int number, long at)
    {
        if (_sequence[number] == 0)
        {
            Count++;
        }
        else if (_sequence[number] > _left)
        {
            _live--;
        }

        _sequence[number] = _nextSequence++;
        _sentAt[number] = at;
        _sends.Enqueue((number, _sequence[number], at));
        _live++;
    }

    /// <summary>When an outstanding block was last sent; false when it is not outstanding.</summary>
    public bool TryGetSentAt(int number, out long at)
    {
        at = _sentAt[number];
        return _sequence[number] != 0;
    }

    /// <summary>The block is acknowledged, or taken out to go again: no longer outstanding.</summary>
    public bool Remove(int number, out long sentAt)
    {
        sentAt = _sentAt[number];
        if (_sequence[number] == 0)
        {
            return false;
        }

        if (_sequence[number] > _left)
        {
            _live--;
        }

        _sequence[number] = 0;
        Count--;
        return true;
    }

    /// <summary>
    /// The outstanding blocks sent less than <paramref name="horizon"/> timestamp ticks before <paramref name="now"/>
    /// (every one when it is <see cref="long.MaxValue"/>), and when the oldest of them was sent.
    /// </summary>
    public int InFlight(long now, long horizon, out long? oldest)
    {
        while (_sends.TryPeek(out var send))
        {
            var current = _sequence[send.Number] == send.Sequence;
            if (current && (horizon == long.MaxValue || now - send.At < horizon))
            {
                oldest = send.At;
                return _live;
            }

            _sends.Dequeue();
            _left = send.Sequence;
            if (current)
            {
                _live--;
            }
        }

        oldest = null;
        return _live;
    }

    /// <summary>The lowest and highest outstanding blocks among <paramref name="from"/> to <paramref name="to"/> (excluded).</summary>
    public (int Lowest, int Highest)? Extremes(int from, int to)
    {
        int? lowest = null, highest = null;
        for (var number = from; number < to; number++)
        {
            if (_sequence[number] != 0)
            {
                lowest ??= number;
                highest = number;
            }
        }

        return lowest is { } low ? (low, highest!.Value) : null;
    }
}

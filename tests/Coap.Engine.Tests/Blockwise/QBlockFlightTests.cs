using Coap.Engine.Blockwise;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>
/// <see cref="QBlockFlight"/>, the Q-Block1 client's outstanding blocks: what counts in flight (sent less than the
/// horizon ago, not acknowledged), the oldest of them, and blocks sent again or acknowledged out of order.
/// </summary>
public sealed class QBlockFlightTests
{
    [Fact]
    public void Blocks_count_in_flight_until_acknowledged_or_older_than_the_horizon()
    {
        var flight = new QBlockFlight(10);
        for (var number = 0; number < 5; number++)
        {
            flight.Sent(number, at: 100 + number);
        }

        Assert.Equal(5, flight.InFlight(now: 110, horizon: long.MaxValue, out var oldest));
        Assert.Equal(100, oldest);

        Assert.True(flight.Remove(0, out var sentAt));
        Assert.Equal(100, sentAt);
        Assert.True(flight.Remove(2, out _));
        Assert.False(flight.Remove(2, out _));
        Assert.Equal(3, flight.InFlight(now: 110, horizon: 100, out oldest));
        Assert.Equal(101, oldest);

        // Blocks 1 and 3 (sent at 101 and 103) are 8 and 6 ticks old: a horizon of 7 leaves 3 and 4 in flight.
        Assert.Equal(2, flight.InFlight(now: 109, horizon: 7, out oldest));
        Assert.Equal(103, oldest);
        Assert.Equal(3, flight.Count);

        // Block 1 left the flight but is still outstanding: acknowledging it changes no count in flight.
        Assert.True(flight.Remove(1, out _));
        Assert.Equal(2, flight.InFlight(now: 109, horizon: 7, out _));
        Assert.Equal(2, flight.Count);
    }

    [Fact]
    public void A_block_sent_again_counts_once_from_its_last_send()
    {
        var flight = new QBlockFlight(4);
        flight.Sent(0, at: 10);
        flight.Sent(1, at: 11);
        flight.Sent(0, at: 20);

        Assert.Equal(2, flight.InFlight(now: 21, horizon: long.MaxValue, out var oldest));
        Assert.Equal(11, oldest);
        Assert.True(flight.TryGetSentAt(0, out var at));
        Assert.Equal(20, at);

        // At 25 with a horizon of 10, block 1 (sent at 11) left the flight; block 0's first send no longer counts.
        Assert.Equal(1, flight.InFlight(now: 25, horizon: 10, out oldest));
        Assert.Equal(20, oldest);

        // Block 1, aged out, goes again: it counts in flight again.
        flight.Sent(1, at: 26);
        Assert.Equal(2, flight.InFlight(now: 27, horizon: 10, out _));
        Assert.Equal(2, flight.Count);
        Assert.Equal((0, 1), flight.Extremes(0, 4));
    }

    [Fact]
    public void Nothing_in_flight_has_no_oldest()
    {
        var flight = new QBlockFlight(2);
        flight.Sent(1, at: 5);
        flight.Remove(1, out _);

        Assert.Equal(0, flight.InFlight(now: 6, horizon: long.MaxValue, out var oldest));
        Assert.Null(oldest);
        Assert.Null(flight.Extremes(0, 2));
        Assert.False(flight.TryGetSentAt(1, out _));
    }
}

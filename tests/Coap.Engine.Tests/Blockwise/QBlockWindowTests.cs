using Coap.Engine.Blockwise;
using Coap.Engine.Messaging;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>How the Q-Block congestion window answers a loss: by the measured bandwidth-delay product, 30 % at most.</summary>
public sealed class QBlockWindowTests
{
    private const long Frequency = 1_000_000;
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(40);

    /// <summary>A window grown from 10 to 40 blocks by 30 blocks received with a 40 ms round trip.</summary>
    private static QBlockWindow Grown()
    {
        var window = new QBlockWindow(new CoapQBlockOptions { InitialWindow = 10, MaxWindow = 128 }, new CoapTransmissionOptions());
        for (var i = 0; i < 30; i++)
        {
            window.OnReceived(RoundTrip);
        }

        Assert.Equal(40, window.Size);
        return window;
    }

    [Fact]
    public void A_loss_on_a_path_that_carried_the_whole_window_at_its_least_round_trip_leaves_the_window_as_it_was()
    {
        // Random loss (a radio link): 40 blocks arrived while the block was in flight, in the least round trip seen.
        var window = Grown();
        window.OnDelivered(40, RoundTrip, now: Frequency, Frequency);

        window.OnLoss(now: 2 * Frequency, Frequency, nothingArrived: false);

        Assert.Equal(40, window.Size);
    }

    [Fact]
    public void A_server_that_says_it_is_overloaded_takes_the_window_down_by_30_percent_whatever_the_path_carried()
    {
        // The path carried the whole window, but the server's queue for us is full (5.03): it takes no more than before.
        var window = Grown();
        window.OnDelivered(40, RoundTrip, now: Frequency, Frequency);

        window.OnLoss(now: 2 * Frequency, Frequency, nothingArrived: false, overloaded: true);

        Assert.Equal(28, window.Size);
    }

    [Fact]
    public void A_loss_while_the_round_trip_doubled_takes_the_window_down_by_30_percent()
    {
        // A queue is filling: after a first sample at the least round trip (40 ms), two round trips of samples where the
        // blocks took twice as long, so the path carries 20 of the 40 in flight; the first has left the max filter.
        var window = Grown();
        window.OnDelivered(10, RoundTrip, now: Frequency, Frequency);
        window.OnDelivered(40, 2 * RoundTrip, now: Frequency + (Frequency * 40 / 1000), Frequency);
        window.OnDelivered(40, 2 * RoundTrip, now: Frequency + (Frequency * 80 / 1000), Frequency);
        Assert.Equal(20, window.Pipe, 3);

        window.OnLoss(now: 2 * Frequency, Frequency, nothingArrived: false);

        Assert.Equal(28, window.Size);
    }

    [Fact]
    public void A_loss_after_which_nothing_arrived_takes_the_window_down_by_30_percent_whatever_the_path_carried()
    {
        var window = Grown();
        window.OnDelivered(40, RoundTrip, now: Frequency, Frequency);

        window.OnLoss(now: 2 * Frequency, Frequency, nothingArrived: true);

        Assert.Equal(28, window.Size);
    }

    [Fact]
    public void Without_delivery_samples_a_loss_takes_the_window_down_by_30_percent()
    {
        var window = Grown();

        window.OnLoss(now: 2 * Frequency, Frequency, nothingArrived: false);

        Assert.Equal(28, window.Size);
    }
}

using Coap.Engine.Client;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Client;

/// <summary>A client times its first retransmission from the measured RTT (RFC 6298 §2) rather than ACK_TIMEOUT.</summary>
public sealed class ClientRetransmissionTimingTests
{
    [Fact]
    public async Task After_a_50_ms_round_trip_a_lost_request_is_sent_again_within_the_rto_not_ack_timeout()
    {
        await using var peer = new ClientLockstep();
        await MeasureOneRoundTripAsync(peer, TimeSpan.FromMilliseconds(50));

        var pending = peer.Client.GetAsync(ClientLockstep.Uri("b"));
        var lost = await peer.NextAsync();
        // SRTT 50 ms, RTTVAR 25 ms: RTO = max(150 ms, MinRto 200 ms), times a random factor of at most 1.5.
        peer.Time.Advance(TimeSpan.FromMilliseconds(301));
        var again = await peer.NextAsync();

        Assert.Equal(lost.MessageId, again.MessageId);
        peer.Reply(again, CoapCode.Content);
        Assert.Equal(CoapCode.Content, (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Code);
    }

    [Fact]
    public async Task Without_rtt_measurement_the_first_retransmission_waits_for_ack_timeout()
    {
        var options = new CoapClientOptions();
        options.Transmission.MeasureRtt = false;
        await using var peer = new ClientLockstep(options);
        await MeasureOneRoundTripAsync(peer, TimeSpan.FromMilliseconds(50));

        var pending = peer.Client.GetAsync(ClientLockstep.Uri("b"));
        var lost = await peer.NextAsync();
        peer.Time.Advance(TimeSpan.FromMilliseconds(301));
        Assert.True(peer.IsQuiet, "retransmitted before ACK_TIMEOUT");
        peer.Time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(lost.MessageId, (await peer.NextAsync()).MessageId);
    }

    [Fact]
    public void The_estimator_smooths_samples_and_keeps_the_rto_within_its_bounds()
    {
        var min = TimeSpan.FromMilliseconds(200);
        var max = TimeSpan.FromSeconds(60);
        var rtt = new RttEstimator();
        Assert.False(rtt.HasSample);

        rtt.Add(TimeSpan.FromMilliseconds(400));
        Assert.Equal(TimeSpan.FromMilliseconds(400), rtt.Smoothed);
        Assert.Equal(TimeSpan.FromMilliseconds(1200), rtt.Rto(min, max)); // 400 + 4 × 200

        rtt.Add(TimeSpan.FromMilliseconds(400));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), rtt.Rto(min, max)); // RTTVAR 150
        for (var i = 0; i < 100; i++)
        {
            rtt.Add(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(min, rtt.Rto(min, max));
        rtt.Add(TimeSpan.FromMinutes(30));
        Assert.Equal(max, rtt.Rto(min, max));
    }

    private static async Task MeasureOneRoundTripAsync(ClientLockstep peer, TimeSpan rtt)
    {
        var pending = peer.Client.GetAsync(ClientLockstep.Uri("a"));
        var request = await peer.NextAsync();
        peer.Time.Advance(rtt);
        peer.Reply(request, CoapCode.Content);
        await pending.WaitAsync(TimeSpan.FromSeconds(5));
    }
}

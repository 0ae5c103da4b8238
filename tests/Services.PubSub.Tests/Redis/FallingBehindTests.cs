using System.Globalization;
using Coap.Engine.Protocol;
using Coap.Testing.Programs;

namespace Services.PubSub.Tests.Redis;

/// <summary>
/// A host that falls more announcements behind than it queues (1 024) drops the rest and reads every topic again
/// once it catches up, so it ends with the latest value, not one from the middle of the burst.
/// </summary>
public sealed class FallingBehindTests
{
    private const int Publications = 1_200;

    [Fact]
    public async Task A_host_whose_event_loop_stalled_through_a_burst_ends_with_the_latest_value()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        var (topic, data) = await a.CreateAsync("burst");
        await b.HeardAllAsync();
        var onA = Assert.Single(a.Broker().All());
        var resynced = a.Store().NextResync;
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // A's event loop takes each value under the topic's lock: holding it stalls the loop at the first one.
        var staller = new Thread(() =>
        {
            lock (onA.Gate)
            {
                held.Set();
                release.Wait(TimeSpan.FromMinutes(2));
            }
        });
        staller.Start();
        held.Wait(TestBroker.Timeout);
        try
        {
            for (var i = 1; i <= Publications; i++)
            {
                Assert.True((await b.PublishAsync(data, i.ToString(CultureInfo.InvariantCulture))).Code.IsSuccess);
            }
        }
        finally
        {
            release.Set();
            staller.Join();
        }

        await resynced.WaitAsync(TestBroker.Timeout);
        await a.HeardAllAsync();

        Assert.Equal(Publications.ToString(CultureInfo.InvariantCulture), TestBroker.Text(await a.Send(CoapCode.Get, data)));
        Assert.Equal(CoapCode.Content, (await a.Send(CoapCode.Get, topic)).Code);
    }
}

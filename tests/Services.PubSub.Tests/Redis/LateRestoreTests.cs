using Coap.Engine.Protocol;
using Coap.Testing.Programs;

namespace Services.PubSub.Tests.Redis;

/// <summary>
/// Redis came back empty and one host put its topics back and took writes before another, held up, put back its own:
/// what was deleted meanwhile stays deleted.
/// </summary>
public sealed class LateRestoreTests
{
    [Fact]
    public async Task A_topic_deleted_after_Redis_came_back_empty_stays_deleted_when_a_late_host_puts_its_topics_back()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        var (deleted, _) = await a.CreateAsync("deleted-meanwhile");
        var (_, stall) = await a.CreateAsync("stall");
        await b.HeardAllAsync();
        var stallOnB = Assert.Single(b.Broker().All(), topic => topic.Configuration.Name == "stall");
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // B's event loop takes each value under the topic's lock: holding it stalls B's loop, and with it B's
        // putting back its topics, until after the delete on A.
        var staller = new Thread(() =>
        {
            lock (stallOnB.Gate)
            {
                held.Set();
                release.Wait(TimeSpan.FromMinutes(2));
            }
        });
        staller.Start();
        Task resyncedB;
        try
        {
            held.Wait(TestBroker.Timeout);
            Assert.Equal(CoapCode.Created, (await a.PublishAsync(stall, "1")).Code);
            await a.HeardAllAsync();
            var lost = Task.WhenAll(a.Store().NextLoss, b.Store().NextLoss);
            await redis.KillAsync();
            await lost.WaitAsync(TestBroker.Timeout);
            var resyncedA = a.Store().NextResync;
            resyncedB = b.Store().NextResync;
            await redis.RestartAsync();
            await resyncedA.WaitAsync(TestBroker.Timeout);
            Assert.Equal(CoapCode.Deleted, (await a.Send(CoapCode.Delete, deleted)).Code);
        }
        finally
        {
            release.Set();
            staller.Join();
        }

        await resyncedB.WaitAsync(TestBroker.Timeout);
        await a.HeardAllAsync();
        await b.HeardAllAsync();

        Assert.Equal(CoapCode.NotFound, (await a.Send(CoapCode.Get, deleted)).Code);
        Assert.Equal(CoapCode.NotFound, (await b.Send(CoapCode.Get, deleted)).Code);
        Assert.Equal(CoapCode.Content, (await b.Send(CoapCode.Get, stall)).Code);
    }
}

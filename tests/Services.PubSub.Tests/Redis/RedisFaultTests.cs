using Coap.Engine.Protocol;
using Coap.Testing.Programs;

namespace Services.PubSub.Tests.Redis;

/// <summary>Redis killed with SIGKILL and started again (empty: it saved nothing) while two brokers run on it.</summary>
public sealed class RedisFaultTests
{
    [Fact]
    public async Task Writes_are_refused_with_5_03_while_Redis_is_down_and_everything_resumes_without_losing_an_acknowledged_publication()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        var (topic, data) = await a.CreateAsync("through-the-outage");
        await b.HeardAllAsync();
        Assert.Equal(CoapCode.Created, (await b.PublishAsync(data, "1")).Code);
        await a.HeardAllAsync();
        using var onA = new RawSubscriber(a.Server.Port, acknowledge: true);
        var first = await onA.SubscribeAsync(data);
        var lost = Task.WhenAll(a.Store().NextLoss, b.Store().NextLoss);

        await redis.KillAsync();
        await lost.WaitAsync(TestBroker.Timeout);
        var refusedPublish = await b.PublishAsync(data, "never");
        var refusedCreate = await a.Send(CoapCode.Post, "ps", Maps.Topic("during"), Maps.Format);
        var refusedDelete = await a.Send(CoapCode.Delete, topic);
        var readDuringOutage = await a.Send(CoapCode.Get, data);
        var resynced = Task.WhenAll(a.Store().NextResync, b.Store().NextResync);
        await redis.RestartAsync();
        await resynced.WaitAsync(TestBroker.Timeout);

        Assert.Equal("1", TestBroker.Text(first));
        foreach (var refused in new[] { refusedPublish, refusedCreate, refusedDelete })
        {
            Assert.Equal(CoapCode.ServiceUnavailable, refused.Code);
            Assert.NotNull(refused.MaxAge);
        }

        Assert.Equal(CoapCode.Content, readDuringOutage.Code);
        Assert.Equal("1", TestBroker.Text(readDuringOutage));

        // The new Redis is empty; the hosts put back what they hold, so a host started now still finds the acknowledged "1".
        await using var c = SharedHosts.Start(redis);
        Assert.Equal("1", TestBroker.Text(await c.Send(CoapCode.Get, data)));
        Assert.Equal(CoapCode.Changed, (await b.PublishAsync(data, "2")).Code);
        var next = await onA.ReceiveUntilAsync(m => TestBroker.Text(m) != "1");
        Assert.Equal("2", TestBroker.Text(next));
        Assert.True(next.Observe > first.Observe);
        Assert.Equal(CoapCode.Created, (await a.Send(CoapCode.Post, "ps", Maps.Topic("after"), Maps.Format)).Code);
    }

    [Fact]
    public async Task A_publication_refused_while_Redis_was_down_does_not_count_against_the_publish_interval()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis, more: new() { ["Modules:PubSub:MinPublishInterval"] = "00:00:10" }, time: new Coap.Testing.FakeTimeProvider());
        var (_, data) = await a.CreateAsync("paced");
        var lost = a.Store().NextLoss;
        await redis.KillAsync();
        await lost.WaitAsync(TestBroker.Timeout);
        var refused = await a.PublishAsync(data, "never");
        var resynced = a.Store().NextResync;
        await redis.RestartAsync();
        await resynced.WaitAsync(TestBroker.Timeout);

        // No time passed on the broker's clock: only a publication that was stored counts.
        var retried = await a.PublishAsync(data, "1");

        Assert.Equal(CoapCode.ServiceUnavailable, refused.Code);
        Assert.Equal(CoapCode.Created, retried.Code);
    }

    [Fact]
    public async Task A_topic_whose_expiration_date_passes_while_Redis_is_down_ends_on_the_host_at_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var time = new Coap.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = SharedHosts.Start(redis, time: time);
        var (topic, data) = await a.CreateAsync("brief", (5, time.GetUtcNow().AddHours(1)));
        await a.PublishAsync(data, "v");
        using var subscriber = new RawSubscriber(a.Server.Port, acknowledge: true);
        Assert.NotNull((await subscriber.SubscribeAsync(data)).Observe);
        var lost = a.Store().NextLoss;
        await redis.KillAsync();
        await lost.WaitAsync(TestBroker.Timeout);

        // The host cannot delete it in Redis now; Redis's TTL will. The host does not serve it past its date meanwhile.
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(CoapCode.NotFound, (await subscriber.ReceiveUntilAsync(m => m.Code != CoapCode.Content)).Code);
        Assert.Equal(CoapCode.NotFound, (await a.Send(CoapCode.Get, topic)).Code);
    }

    [Fact]
    public async Task Subscribers_of_a_host_that_missed_publications_while_cut_off_get_the_latest_value_when_it_reconnects()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        var (_, data) = await a.CreateAsync("missed");
        await a.PublishAsync(data, "1");
        using var onA = new RawSubscriber(a.Server.Port, acknowledge: true);
        var first = await onA.SubscribeAsync(data);
        await redis.RestartRedisAsync(a);

        // A host that joins now publishes; had A not re-subscribed, its subscriber would never hear of it.
        await using var b = SharedHosts.Start(redis);
        Assert.Equal(CoapCode.Changed, (await b.PublishAsync(data, "2")).Code);

        var next = await onA.ReceiveUntilAsync(m => TestBroker.Text(m) != "1");
        Assert.Equal("2", TestBroker.Text(next));
        Assert.True(next.Observe > first.Observe);
    }

    [Fact]
    public async Task A_host_started_while_Redis_is_down_refuses_writes_and_takes_the_topics_once_Redis_is_up()
    {
        await using var redis = await RedisServer.StartAsync();
        await using (var first = SharedHosts.Start(redis))
        {
            await first.CreateAsync("before");
        }

        await redis.KillAsync();
        await using var a = SharedHosts.Start(redis);
        var refused = await a.Send(CoapCode.Post, "ps", Maps.Topic("while-down"), Maps.Format);
        var resynced = a.Store().NextResync;
        await redis.RestartAsync();
        await using var b = SharedHosts.Start(redis);
        var created = await b.Send(CoapCode.Post, "ps", Maps.Topic("once-up"), Maps.Format);
        await resynced.WaitAsync(TestBroker.Timeout);
        await a.HeardAllAsync();

        Assert.Equal(CoapCode.ServiceUnavailable, refused.Code);
        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal(CoapCode.Created, (await a.Send(CoapCode.Post, "ps", Maps.Topic("on-a"), Maps.Format)).Code);
        Assert.Single(a.Broker().All(), topic => topic.Configuration.Name == "once-up");
    }
}

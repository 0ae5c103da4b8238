using System.Globalization;
using Coap.Engine.Protocol;
using Coap.Testing.Programs;

namespace Services.PubSub.Tests.Redis;

/// <summary>Two and three brokers on one real redis-server behave as one broker: topics, publications and deletions made on one are seen on all.</summary>
public sealed class SharedBrokerTests
{
    [Fact]
    public async Task A_topic_created_on_A_and_published_on_B_reaches_subscribers_on_A_and_C_in_order()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        await using var c = SharedHosts.Start(redis);
        var (topic, data) = await a.CreateAsync("temperature");
        await b.HeardAllAsync();
        Assert.Equal(CoapCode.Created, (await b.PublishAsync(data, "0")).Code);
        await Task.WhenAll(a.HeardAllAsync(), c.HeardAllAsync());
        using var onA = new RawSubscriber(a.Server.Port, acknowledge: true);
        using var onC = new RawSubscriber(c.Server.Port, acknowledge: true);
        var firstA = await onA.SubscribeAsync(data);
        var firstC = await onC.SubscribeAsync(data);

        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(CoapCode.Changed, (await b.PublishAsync(data, i.ToString(CultureInfo.InvariantCulture))).Code);
        }

        var seenA = await NotificationsUntil(onA, firstA, "20");
        var seenC = await NotificationsUntil(onC, firstC, "20");
        Assert.Equal("0", TestBroker.Text(firstA));
        Assert.Equal("0", TestBroker.Text(firstC));
        AssertGrowing(seenA);
        AssertGrowing(seenC);
        Assert.Equal(CoapCode.Content, (await c.Send(CoapCode.Get, topic)).Code);
    }

    [Fact]
    public async Task A_topic_deleted_on_C_ends_the_subscribers_on_A_and_B_and_is_gone_everywhere()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        await using var c = SharedHosts.Start(redis);
        var (topic, data) = await a.CreateAsync("doomed");
        await a.PublishAsync(data, "v");
        await Task.WhenAll(b.HeardAllAsync(), c.HeardAllAsync());
        using var onA = new RawSubscriber(a.Server.Port, acknowledge: true);
        using var onB = new RawSubscriber(b.Server.Port, acknowledge: true);
        Assert.NotNull((await onA.SubscribeAsync(data)).Observe);
        Assert.NotNull((await onB.SubscribeAsync(data)).Observe);

        Assert.Equal(CoapCode.Deleted, (await c.Send(CoapCode.Delete, topic)).Code);

        Assert.Equal(CoapCode.NotFound, (await onA.ReceiveUntilAsync(m => m.Code != CoapCode.Content)).Code);
        Assert.Equal(CoapCode.NotFound, (await onB.ReceiveUntilAsync(m => m.Code != CoapCode.Content)).Code);
        foreach (var host in new[] { a, b, c })
        {
            Assert.Equal(CoapCode.NotFound, (await host.Send(CoapCode.Get, topic)).Code);
            Assert.Equal(CoapCode.NotFound, (await host.Send(CoapCode.Put, data, [1], ContentFormat.TextPlain)).Code);
        }

        // The name is free again on every host.
        await b.CreateAsync("doomed");
    }

    [Fact]
    public async Task A_reconfiguration_on_B_takes_effect_on_A()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        var (topic, _) = await a.CreateAsync("t");
        await b.HeardAllAsync();

        var changed = await b.Send(CoapCode.IPatch, topic, Maps.Of((4, "celsius")), Maps.Format);
        await a.HeardAllAsync();

        Assert.Equal(CoapCode.Changed, changed.Code);
        Assert.Equal("celsius", Maps.Read((await a.Send(CoapCode.Get, topic)).Payload)[4]);
    }

    [Fact]
    public async Task Overlapping_reconfigurations_on_two_hosts_each_build_on_the_other()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        var (topic, _) = await a.CreateAsync("t");
        await b.HeardAllAsync();

        // B has not heard of A's change when it makes its own: Redis refuses B's (built on the old configuration) and B rebuilds on A's.
        Assert.Equal(CoapCode.Changed, (await a.Send(CoapCode.IPatch, topic, Maps.Of((4, "kind")), Maps.Format)).Code);
        Assert.Equal(CoapCode.Changed, (await b.Send(CoapCode.IPatch, topic, Maps.Of((6, 5)), Maps.Format)).Code);
        await a.HeardAllAsync();

        var map = Maps.Read((await a.Send(CoapCode.Get, topic)).Payload);
        Assert.Equal("kind", map[4]);
        Assert.Equal(5UL, map[6]);
    }

    [Fact]
    public async Task A_topic_expires_on_every_host_through_its_TTL_in_Redis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        var (topic, data) = await a.CreateAsync("brief", (5, DateTimeOffset.UtcNow.AddSeconds(3)));
        var id = topic[(topic.LastIndexOf('/') + 1)..];
        await a.PublishAsync(data, "v");
        await b.HeardAllAsync();
        using var onB = new RawSubscriber(b.Server.Port, acknowledge: true);
        Assert.NotNull((await onB.SubscribeAsync(data)).Observe);
        await using var direct = await RedisClient.ConnectAsync(redis);
        Assert.NotNull(await direct.TimeToLiveAsync($"test:t:{id}"));

        Assert.Equal(CoapCode.NotFound, (await onB.ReceiveUntilAsync(m => m.Code != CoapCode.Content)).Code);
        await a.HeardAllAsync();

        Assert.False(await direct.ExistsAsync($"test:t:{id}"));
        Assert.Equal(CoapCode.NotFound, (await a.Send(CoapCode.Get, topic)).Code);
        Assert.Equal(CoapCode.NotFound, (await b.Send(CoapCode.Get, topic)).Code);
    }

    [Fact]
    public async Task A_host_restarted_loses_no_topic()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var b = SharedHosts.Start(redis);
        string topic, data;
        await using (var a = SharedHosts.Start(redis))
        {
            (topic, data) = await a.CreateAsync("kept", (4, "kind"));
            await a.PublishAsync(data, "last");
        }

        await using var again = SharedHosts.Start(redis);
        using var onB = new RawSubscriber(b.Server.Port, acknowledge: true);
        await b.HeardAllAsync();
        var first = await onB.SubscribeAsync(data);

        var value = await again.Send(CoapCode.Get, data);
        var configuration = Maps.Read((await again.Send(CoapCode.Get, topic)).Payload);
        var published = await again.PublishAsync(data, "after");

        Assert.Equal("last", TestBroker.Text(value));
        Assert.Equal("kind", configuration[4]);
        Assert.Equal(CoapCode.Changed, published.Code);
        Assert.Equal("last", TestBroker.Text(first));
        Assert.Equal("after", TestBroker.Text(await onB.ReceiveUntilAsync(m => TestBroker.Text(m) == "after")));
    }

    [Fact]
    public async Task Brokers_with_different_key_prefixes_on_one_Redis_do_not_see_each_other()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var one = SharedHosts.Start(redis, prefix: "one:");
        await using var other = SharedHosts.Start(redis, prefix: "other:");
        var (topic, _) = await one.CreateAsync("same-name");
        await other.HeardAllAsync();

        Assert.Equal(CoapCode.NotFound, (await other.Send(CoapCode.Get, topic)).Code);
        await other.CreateAsync("same-name");
    }

    /// <summary>The registration's answer and the notifications after it, up to the one carrying <paramref name="last"/>.</summary>
    internal static async Task<List<CoapMessage>> NotificationsUntil(RawSubscriber subscriber, CoapMessage first, string last)
    {
        var seen = new List<CoapMessage> { first };
        while (TestBroker.Text(seen[^1]) != last)
        {
            seen.Add(await subscriber.ReceiveAsync());
        }

        return seen;
    }

    /// <summary>Values (numbers) and Observe numbers only grow: no value twice, none out of order.</summary>
    internal static void AssertGrowing(List<CoapMessage> seen)
    {
        for (var i = 1; i < seen.Count; i++)
        {
            Assert.Equal(CoapCode.Content, seen[i].Code);
            Assert.True(int.Parse(TestBroker.Text(seen[i]), CultureInfo.InvariantCulture) > int.Parse(TestBroker.Text(seen[i - 1]), CultureInfo.InvariantCulture), $"value {TestBroker.Text(seen[i])} after {TestBroker.Text(seen[i - 1])}");
            Assert.True(seen[i].Observe > seen[i - 1].Observe, $"Observe {seen[i].Observe} after {seen[i - 1].Observe}");
        }
    }
}

using Coap.Engine.Protocol;
using Coap.Testing.Programs;

namespace Services.PubSub.Tests.Redis;

/// <summary>
/// Redis started again from an older dump (as after a crash with RDB/AOF persistence, or a replica promoted): its
/// topics' numbers go back while the hosts hold later ones, and the epoch key is the same.
/// </summary>
public sealed class SnapshotRollbackTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("redis-dump-");

    [Fact]
    public async Task A_publication_after_Redis_came_back_from_an_older_dump_reaches_every_host_and_is_what_a_GET_returns()
    {
        await using var redis = await RedisServer.StartAsync(_folder.FullName);
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        var (_, data) = await a.CreateAsync("rolled-back");
        await b.HeardAllAsync();
        Assert.Equal(CoapCode.Created, (await b.PublishAsync(data, "1")).Code);
        await using (var admin = await RedisClient.ConnectAsync(redis))
        {
            await admin.SaveAsync();
        }

        Assert.Equal(CoapCode.Changed, (await b.PublishAsync(data, "2")).Code);
        Assert.Equal(CoapCode.Changed, (await b.PublishAsync(data, "3")).Code);
        await a.HeardAllAsync();
        using var onA = new RawSubscriber(a.Server.Port, acknowledge: true);
        var first = await onA.SubscribeAsync(data);

        await redis.RestartRedisAsync(a, b);

        // Redis holds "1" as its first value again; numbered from there, "4" would be below what both hosts hold.
        Assert.Equal(CoapCode.Changed, (await a.PublishAsync(data, "4")).Code);
        await b.HeardAllAsync();
        var next = await onA.ReceiveUntilAsync(m => TestBroker.Text(m) != "3");
        await using var c = SharedHosts.Start(redis);

        Assert.Equal("3", TestBroker.Text(first));
        Assert.Equal("4", TestBroker.Text(next));
        Assert.True(next.Observe > first.Observe);
        Assert.Equal("4", TestBroker.Text(await a.Send(CoapCode.Get, data)));
        Assert.Equal("4", TestBroker.Text(await b.Send(CoapCode.Get, data)));
        Assert.Equal("4", TestBroker.Text(await c.Send(CoapCode.Get, data)));
    }

    [Fact]
    public async Task A_later_expiration_date_is_put_back_with_its_configuration_when_Redis_came_back_from_an_older_dump()
    {
        await using var redis = await RedisServer.StartAsync(_folder.FullName);
        await using var a = SharedHosts.Start(redis);
        var (topic, _) = await a.CreateAsync("extended", (5, DateTimeOffset.UtcNow.AddHours(1)));
        var id = topic[(topic.LastIndexOf('/') + 1)..];
        await using (var admin = await RedisClient.ConnectAsync(redis))
        {
            await admin.SaveAsync();
        }

        Assert.Equal(CoapCode.Changed, (await a.Send(CoapCode.IPatch, topic, Maps.Of((5, DateTimeOffset.UtcNow.AddHours(3))), Maps.Format)).Code);
        await redis.RestartRedisAsync(a);

        // The dump's topic would go in an hour (its keys' TTL), taking the host's later expiration-date with it.
        await using var direct = await RedisClient.ConnectAsync(redis);
        foreach (var key in new[] { $"test:t:{id}", "test:n:extended" })
        {
            Assert.InRange(await direct.TimeToLiveAsync(key) ?? TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromHours(3));
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}

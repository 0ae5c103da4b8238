using Coap.Testing.Programs;
using Microsoft.Extensions.DependencyInjection;
using Services.PubSub.State.Redis;
using Services.PubSub.Topics;

namespace Services.PubSub.Tests.Redis;

/// <summary>Brokers with Modules:PubSub:Store = Redis, each its own CoAP server on a port of its own, sharing one real redis-server.</summary>
internal static class SharedHosts
{
    public static TestBroker Start(RedisServer redis, string prefix = "test:", Dictionary<string, string?>? more = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>(more ?? [])
        {
            ["Modules:PubSub:Store"] = "Redis",
            ["Modules:PubSub:Redis:Configuration"] = redis.Configuration,
            ["Modules:PubSub:Redis:KeyPrefix"] = prefix,
        };
        return new TestBroker(settings, time);
    }

    public static Broker Broker(this TestBroker host) => host.Server.Services.GetRequiredService<Broker>();

    public static RedisTopicStore Store(this TestBroker host) => host.Broker().SharedStore ?? throw new InvalidOperationException("not on the Redis store");

    /// <summary>
    /// Kills Redis with SIGKILL, waits until every host lost it, starts it again (empty, or from its folder's dump) and
    /// waits until every host read everything again.
    /// </summary>
    public static async Task RestartRedisAsync(this RedisServer redis, params TestBroker[] hosts)
    {
        var lost = Task.WhenAll(hosts.Select(host => host.Store().NextLoss));
        await redis.KillAsync();
        await lost.WaitAsync(TestBroker.Timeout);
        var resynced = Task.WhenAll(hosts.Select(host => host.Store().NextResync));
        await redis.RestartAsync();
        await resynced.WaitAsync(TestBroker.Timeout);
    }

    /// <summary>Waits until <paramref name="host"/> has taken every change announced so far by any host.</summary>
    public static Task HeardAllAsync(this TestBroker host) => host.Store().HeardAllAsync().WaitAsync(TestBroker.Timeout);
}

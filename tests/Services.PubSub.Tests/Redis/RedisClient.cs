using Coap.Testing.Programs;
using StackExchange.Redis;

namespace Services.PubSub.Tests.Redis;

/// <summary>A direct connection to the test's redis-server, to look at the keys the brokers wrote.</summary>
internal sealed class RedisClient : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _redis;

    private RedisClient(ConnectionMultiplexer redis)
    {
        _redis = redis;
    }

    public static async Task<RedisClient> ConnectAsync(RedisServer server) => new(await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true"));

    public Task<TimeSpan?> TimeToLiveAsync(string key) => _redis.GetDatabase().KeyTimeToLiveAsync(key);

    public Task<bool> ExistsAsync(string key) => _redis.GetDatabase().KeyExistsAsync(key);

    /// <summary>SAVE: the dump a restarted server with a folder loads.</summary>
    public Task SaveAsync() => _redis.GetDatabase().ExecuteAsync("SAVE");

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}

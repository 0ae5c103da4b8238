using Coap.Testing.Programs;
using Microsoft.Extensions.Logging.Abstractions;
using Services.PubSub.State.Redis;
using Services.PubSub.Topics;

namespace Services.PubSub.Tests.Redis;

/// <summary>
/// A read of everything after a reconnection that does not complete: the connection drops again during it (the host
/// must not take writes on that read, as the Redis it reconnects to may be empty again and not yet hold what the host
/// puts back), or Redis does not answer in time (it is tried again).
/// </summary>
public sealed class InterruptedResyncTests
{
    [Fact]
    public async Task A_resync_that_the_connection_dropped_during_leaves_the_store_refusing_writes_until_the_next_one()
    {
        await using var redis = await RedisServer.StartAsync();
        var held = new StoredTopic("t1", new TopicConfiguration { Name = "kept", DataPath = "ps/data/d1" }, 1, null, 0);
        var topics = new HeldTopics(held);
        using var store = new RedisTopicStore(new PubSubRedisOptions { Configuration = redis.Configuration, KeyPrefix = "test:" }, NullLogger.Instance);
        Assert.NotNull(store.Start(topics));
        store.Listen();

        // First outage: Redis comes back empty; the store puts "kept" back, reads everything, and is held in Resynced.
        var lost = store.NextLoss;
        await redis.KillAsync();
        await lost.WaitAsync(TestBroker.Timeout);
        var first = store.NextResync;
        await redis.RestartAsync();
        await topics.Entered[0].Task.WaitAsync(TestBroker.Timeout);

        // Second outage in the middle of it: Redis comes back empty again.
        lost = store.NextLoss;
        await redis.KillAsync();
        await lost.WaitAsync(TestBroker.Timeout);
        await redis.RestartAsync();
        topics.Release[0].Set();
        await first.WaitAsync(TestBroker.Timeout);
        var syncedAfterInterruptedRead = store.Synced;

        // The read the reconnection asked for puts "kept" back again; only then are writes taken.
        var second = store.NextResync;
        topics.Release[1].Set();
        await second.WaitAsync(TestBroker.Timeout);

        Assert.False(syncedAfterInterruptedRead);
        Assert.True(store.Synced);
        Assert.NotNull(await store.LoadAsync("t1"));
    }

    [Fact]
    public async Task A_change_that_Redis_did_not_answer_in_time_for_is_read_again_though_the_connection_stayed_up()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        var held = new StoredTopic("t1", new TopicConfiguration { Name = "kept", DataPath = "ps/data/d1" }, 1, null, 0);
        var topics = new HeldTopics(held) { TimesOutOnce = true };
        topics.Release[0].Set();
        topics.Release[1].Set();
        using var store = new RedisTopicStore(new PubSubRedisOptions { Configuration = redis.Configuration, KeyPrefix = "test:" }, NullLogger.Instance);
        Assert.NotNull(store.Start(topics));
        store.Listen();
        var resynced = store.NextResync;

        // Taking the value fails as a Redis command that timed out would (a "c" announcement reads the topic).
        var (_, data) = await a.CreateAsync("elsewhere");
        await a.PublishAsync(data, "1");
        await resynced.WaitAsync(TestBroker.Timeout);

        Assert.True(store.Synced);
        Assert.Equal(1, topics.Resyncs);
    }

    /// <summary>A broker that holds one topic and stops in its first two <see cref="ISharedTopics.Resynced"/> until released.</summary>
    private sealed class HeldTopics(StoredTopic held) : ISharedTopics
    {
        private int _resyncs;
        private int _published;

        /// <summary>The first value handed on throws as a Redis command that timed out would.</summary>
        public bool TimesOutOnce { get; init; }

        public int Resyncs => Volatile.Read(ref _resyncs);

        public TaskCompletionSource[] Entered { get; } = [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)];

        public ManualResetEventSlim[] Release { get; } = [new(), new()];

        public void Resynced(IReadOnlyList<StoredTopic> all)
        {
            var call = Interlocked.Increment(ref _resyncs) - 1;
            if (call < Release.Length)
            {
                Entered[call].TrySetResult();
                Release[call].Wait(TimeSpan.FromMinutes(1));
            }


        }

        public IReadOnlyCollection<string> Ids() => [held.Id];

        public IReadOnlyList<StoredTopic> Snapshot() => [held];

        public bool Awaits(string id, long sequence) => true;

        public void Changed(StoredTopic stored)
        {
        }

        public void Published(string id, long sequence, Publication? value)
        {
            if (TimesOutOnce && Interlocked.Increment(ref _published) == 1)
            {
                throw new TimeoutException("a Redis command timed out (test)");
            }
        }

        public void Deleted(string id)
        {
        }
    }
}

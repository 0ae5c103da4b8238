using Coap.Engine.Protocol;
using Coap.Testing.Programs;
using Microsoft.Extensions.Logging.Abstractions;
using Services.PubSub.State.Redis;
using Services.PubSub.Topics;

namespace Services.PubSub.Tests.Redis;

/// <summary>
/// A host starting while others change topics: what they announce after its read at start reaches its broker after
/// the broker took what was read, so a later value or a deletion is not dropped for a topic not yet known.
/// </summary>
public sealed class StartupOrderTests
{
    [Fact]
    public async Task Changes_announced_after_the_read_at_start_reach_the_broker_after_it_took_what_was_read()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        var (topic, data) = await a.CreateAsync("early");
        await a.PublishAsync(data, "1");
        var topics = new RecordingTopics();
        using var store = new RedisTopicStore(new PubSubRedisOptions { Configuration = redis.Configuration, KeyPrefix = "test:" }, NullLogger.Instance);

        var loaded = store.Start(topics);
        Assert.Equal(CoapCode.Changed, (await a.PublishAsync(data, "2")).Code);
        Assert.Equal(CoapCode.Deleted, (await a.Send(CoapCode.Delete, topic)).Code);
        topics.Took = true;
        store.Listen();
        await store.HeardAllAsync().WaitAsync(TestBroker.Timeout);

        var read = Assert.Single(loaded!);
        Assert.Equal(1, read.Sequence);
        Assert.Equal([$"after: v {read.Id} 2", $"after: d {read.Id}"], topics.Calls);
    }

    /// <summary>Records what the store hands on, and whether the broker had taken the read at start by then.</summary>
    private sealed class RecordingTopics : ISharedTopics
    {
        public volatile bool Took;

        public List<string> Calls { get; } = [];

        public bool Awaits(string id, long sequence) => true;

        public void Published(string id, long sequence, Publication? value) => Record($"v {id} {sequence}");

        public void Deleted(string id) => Record($"d {id}");

        public void Changed(StoredTopic stored) => Record($"c {stored.Id}");

        public void Resynced(IReadOnlyList<StoredTopic> all) => Record("resync");

        public IReadOnlyCollection<string> Ids() => [];

        public IReadOnlyList<StoredTopic> Snapshot() => [];

        private void Record(string call)
        {
            lock (Calls)
            {
                Calls.Add((Took ? "after: " : "before: ") + call);
            }
        }
    }
}

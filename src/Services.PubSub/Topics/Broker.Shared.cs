using Coap.Engine.Protocol;
using Services.PubSub.State;
using Services.PubSub.State.Redis;

namespace Services.PubSub.Topics;

/// <summary>
/// The broker on the Redis store (Modules:PubSub:Store = Redis): every change is made in Redis first (a 2.xx means
/// Redis has it; Redis unreachable is <see cref="StoreUnavailableException"/>, 5.03) and then taken here; changes made
/// by other hosts come from the store's announcements (<see cref="ISharedTopics"/>). A value is taken only when its
/// number is above the one the topic holds, so a publication heard twice (its own answer and its announcement) or late
/// is dropped, and subscribers see values in the order Redis took them. Reads are always answered from this host's
/// copy, which while Redis is unreachable is the last state it heard of.
/// </summary>
internal sealed partial class Broker : ISharedTopics
{
    /// <summary>How often a create retries with a new id, or a reconfiguration with the newer configuration, when another host got there first.</summary>
    private const int SharedAttempts = 5;

    /// <summary>Who the log names for a change another host made, or Redis's expiry.</summary>
    private const string AnotherHost = "another host (or the topic's expiry in Redis)";

    private void LoadShared(RedisTopicStore store)
    {
        if (store.Start(this) is { } loaded)
        {
            foreach (var stored in loaded)
            {
                Take(stored);
            }

            PubSubLog.LoadedFromRedis(_logger, loaded.Count);
        }

        store.Listen();
    }

    private async Task<Topic> CreateSharedAsync(RedisTopicStore store, ConfigurationFields fields, string creator)
    {
        for (var attempt = 1; ; attempt++)
        {
            Topic topic;
            lock (_gate)
            {
                topic = NewTopic(fields, creator);
            }

            topic.Generation = 1;
            topic.Sequence = topic.Value is null ? 0 : 1;
            switch (await store.CreateAsync(topic.Id, topic.Configuration, topic.Value).ConfigureAwait(false))
            {
                case RedisTopicStore.CreateOutcome.Created:
                    return Adopt(topic);
                case RedisTopicStore.CreateOutcome.NameTaken:
                    throw new ConfigurationException($"a topic named {PeerText.Quote(topic.Configuration.Name)} exists");
                case RedisTopicStore.CreateOutcome.DataTaken when fields.DataPath is not null || attempt >= SharedAttempts:
                    throw new ConfigurationException($"topic-data {PeerText.Quote(topic.Configuration.DataPath)} belongs to another topic");
                case RedisTopicStore.CreateOutcome.IdTaken when attempt >= SharedAttempts:
                    throw new StoreUnavailableException();
            }
        }
    }

    /// <summary>Adds a topic this host created, unless its announcement added it already (then that one is the topic).</summary>
    private Topic Adopt(Topic topic)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(topic.Id, out var known))
            {
                return known;
            }

            if (!_byData.TryAdd(topic.DataId, topic))
            {
                throw new ConfigurationException($"topic-data {PeerText.Quote(topic.Configuration.DataPath)} belongs to another topic");
            }

            _byName[topic.Configuration.Name] = topic;
            _byId.Add(topic.Id, topic);
        }

        Configure(topic);
        return topic;
    }

    private async Task<TopicConfiguration> ReconfigureSharedAsync(RedisTopicStore store, Topic topic, Func<TopicConfiguration, TopicConfiguration> change, byte[]? initialize, string requester)
    {
        for (var attempt = 1; ; attempt++)
        {
            TopicConfiguration configuration;
            long generation;
            Publication? value = null;
            lock (topic.Gate)
            {
                ThrowIfDeleted(topic);
                configuration = change(topic.Configuration);
                generation = topic.Generation;
                if (initialize is not null)
                {
                    CheckSize(initialize.Length);
                    value = new Publication(initialize, configuration.ContentFormat);
                }
            }

            if (await store.ReconfigureAsync(topic.Id, configuration, generation, value).ConfigureAwait(false) is not { } result)
            {
                Forget(topic, AnotherHost);
                throw new TopicGoneException();
            }

            if (result.Generation < 0)
            {
                // Another host changed it since this host heard: build on its configuration instead.
                if (attempt >= SharedAttempts)
                {
                    throw new StoreUnavailableException();
                }

                await RefreshAsync(store, topic).ConfigureAwait(false);
                continue;
            }

            TakeConfiguration(topic, configuration, result.Generation, requester);
            if (value is not null)
            {
                TakeValue(topic, result.Sequence, value, requester);
            }

            return configuration;
        }
    }

    private async Task RefreshAsync(RedisTopicStore store, Topic topic)
    {
        if (await store.LoadAsync(topic.Id).ConfigureAwait(false) is { } stored)
        {
            Take(stored);
            return;
        }

        Forget(topic, AnotherHost);
        throw new TopicGoneException();
    }

    private async Task<(TimeSpan Wait, bool Replaced)> PublishSharedAsync(RedisTopicStore store, Topic topic, ReadOnlyMemory<byte> payload, int? contentFormat)
    {
        Publication? value;
        TimeSpan wait;
        long? before;
        lock (topic.Gate)
        {
            before = topic.LastPublishedAt;
            value = Admit(topic, payload, contentFormat, out wait);
        }

        if (value is null)
        {
            return (wait, false);
        }

        (long Sequence, bool Replaced)? result;
        try
        {
            result = await store.PublishAsync(topic.Id, value).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            // Nothing was stored (5.03): the client's retry is not held to MinPublishInterval by it.
            lock (topic.Gate)
            {
                topic.LastPublishedAt = before;
            }

            throw;
        }

        if (result is not { } stored)
        {
            Forget(topic, AnotherHost);
            throw new TopicGoneException();
        }

        TakeValue(topic, stored.Sequence, value, AnotherHost);
        return (TimeSpan.Zero, stored.Replaced);
    }

    private async Task ClearSharedAsync(RedisTopicStore store, Topic topic, string requester)
    {
        lock (topic.Gate)
        {
            ThrowIfDeleted(topic);
        }

        if (await store.ClearAsync(topic.Id).ConfigureAwait(false) is not { } sequence)
        {
            Forget(topic, AnotherHost);
            throw new TopicGoneException();
        }

        TakeValue(topic, sequence, null, requester);
    }

    /// <summary>True when Redis held the topic, or this host still did (an expiry Redis made first).</summary>
    private async Task<bool> DeleteSharedAsync(RedisTopicStore store, Topic topic, string? requester)
    {
        var existed = await store.DeleteAsync(topic.Id, topic.Configuration).ConfigureAwait(false);
        return Forget(topic, requester ?? "its expiration-date") || existed;
    }

    /// <summary>Takes the topic off this host; its subscribers get a final 4.04. False when it was gone already.</summary>
    private bool Forget(Topic topic, string requester)
    {
        if (!Remove(topic))
        {
            return false;
        }

        LogEnded(topic, topic.Subscribers.Evict(0, CoapCode.NotFound), requester, "deleted the topic");
        return true;
    }

    /// <summary>A topic as Redis holds it: added when new here, else its newer configuration and value taken.</summary>
    private void Take(StoredTopic stored)
    {
        Topic? topic;
        lock (_gate)
        {
            if (!_byId.TryGetValue(stored.Id, out topic))
            {
                var added = new Topic(stored.Id, stored.Configuration)
                {
                    Generation = stored.Generation,
                    Sequence = stored.Sequence,
                    Value = stored.Value,
                    LastPublishedAt = stored.Value is null ? null : _time.GetTimestamp(),
                };

                // A name or topic-data this host still gives another topic belongs to one deleted while it did not hear.
                foreach (var stale in new[] { _byName.GetValueOrDefault(stored.Configuration.Name), _byData.GetValueOrDefault(added.DataId) })
                {
                    if (stale is not null)
                    {
                        _byId.Remove(stale.Id);
                        _byName.Remove(stale.Configuration.Name);
                        _byData.Remove(stale.DataId);
                        stale.Deleted = true;
                        stale.ExpirationTimer?.Dispose();
                        LogEnded(stale, stale.Subscribers.Evict(0, CoapCode.NotFound), AnotherHost, "deleted the topic");
                    }
                }

                _byId.Add(added.Id, added);
                _byName.Add(stored.Configuration.Name, added);
                _byData.Add(added.DataId, added);
                topic = null;
                Configure(added);
            }
        }

        if (topic is not null)
        {
            TakeConfiguration(topic, stored.Configuration, stored.Generation, AnotherHost);
            TakeValue(topic, stored.Sequence, stored.Value, AnotherHost);
        }
    }

    private void TakeConfiguration(Topic topic, TopicConfiguration configuration, long generation, string requester)
    {
        lock (topic.Gate)
        {
            if (topic.Deleted || generation <= topic.Generation)
            {
                return;
            }

            topic.Configuration = configuration;
            topic.Generation = generation;
        }

        if (Configure(topic) is var ended and > 0)
        {
            LogEnded(topic, ended, requester, $"lowered max-subscribers to {topic.Subscribers.Capacity}");
        }
    }

    /// <summary>Takes a value (null: cleared) numbered above the topic's: subscribers are told, or for a clear ended with 4.04.</summary>
    private void TakeValue(Topic topic, long sequence, Publication? value, string requester)
    {
        lock (topic.Gate)
        {
            if (topic.Deleted || sequence <= topic.Sequence)
            {
                return;
            }

            if (value is null && topic.Value is null)
            {
                topic.Sequence = sequence;
                return;
            }

            topic.Sequence = sequence;
            topic.Value = value;
            topic.LastPublishedAt = value is null ? null : topic.LastPublishedAt ?? _time.GetTimestamp();
        }

        if (value is null)
        {
            LogEnded(topic, topic.Subscribers.Evict(0, CoapCode.NotFound), requester, "deleted the topic's data");
        }
        else
        {
            Notify(topic);
        }
    }

    void ISharedTopics.Changed(StoredTopic stored) => Take(stored);

    void ISharedTopics.Published(string id, long sequence, Publication? value)
    {
        if (Find(id) is { } topic)
        {
            TakeValue(topic, sequence, value, AnotherHost);
        }
    }

    bool ISharedTopics.Awaits(string id, long sequence)
    {
        if (Find(id) is not { } topic)
        {
            return false;
        }

        lock (topic.Gate)
        {
            return !topic.Deleted && sequence > topic.Sequence;
        }
    }

    void ISharedTopics.Deleted(string id)
    {
        if (Find(id) is { } topic)
        {
            Forget(topic, AnotherHost);
        }
    }

    void ISharedTopics.Resynced(IReadOnlyList<StoredTopic> all)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stored in all)
        {
            held.Add(stored.Id);
            Take(stored);
        }

        foreach (var topic in All())
        {
            if (!held.Contains(topic.Id))
            {
                Forget(topic, AnotherHost);
            }
        }
    }

    IReadOnlyCollection<string> ISharedTopics.Ids()
    {
        lock (_gate)
        {
            return [.. _byId.Keys];
        }
    }

    IReadOnlyList<StoredTopic> ISharedTopics.Snapshot()
    {
        var topics = All();
        var snapshot = new List<StoredTopic>(topics.Length);
        foreach (var topic in topics)
        {
            lock (topic.Gate)
            {
                snapshot.Add(new StoredTopic(topic.Id, topic.Configuration, topic.Generation, topic.Value, topic.Sequence));
            }
        }

        return snapshot;
    }

    /// <summary>The Redis store when Modules:PubSub:Store is Redis (tests wait on its reconnections).</summary>
    internal RedisTopicStore? SharedStore => _shared;
}

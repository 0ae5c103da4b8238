using Services.PubSub.Topics;

namespace Services.PubSub.State.Redis;

/// <summary>
/// What the Redis store tells the broker of changes any host made (its own included), one at a time and in the order
/// Redis made them, and what it asks of the broker when Redis has lost its data.
/// </summary>
internal interface ISharedTopics
{
    /// <summary>A topic was created or reconfigured (its value may have changed with it).</summary>
    void Changed(StoredTopic stored);

    /// <summary>A topic's value was published (or cleared: null) with number <paramref name="sequence"/>.</summary>
    void Published(string id, long sequence, Publication? value);

    /// <summary>Whether a value numbered <paramref name="sequence"/> is news here: the topic is held and its value numbered below it.</summary>
    bool Awaits(string id, long sequence);

    void Deleted(string id);

    /// <summary>After a reconnection: every topic Redis holds; the broker drops the ones it holds beyond them.</summary>
    void Resynced(IReadOnlyList<StoredTopic> all);

    /// <summary>The ids of the topics the broker holds now.</summary>
    IReadOnlyCollection<string> Ids();

    /// <summary>Every topic the broker holds, to put back into a Redis that lost its data.</summary>
    IReadOnlyList<StoredTopic> Snapshot();
}

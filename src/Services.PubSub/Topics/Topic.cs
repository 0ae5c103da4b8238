using Coap.Engine.Observe;

namespace Services.PubSub.Topics;

/// <summary>
/// One topic: its configuration resource's id, its configuration, its latest value and its subscribers (the
/// observers of its topic-data). Mutable fields change under <see cref="Gate"/>.
/// </summary>
internal sealed class Topic
{
    public Topic(string id, TopicConfiguration configuration)
    {
        Id = id;
        Configuration = configuration;
    }

    /// <summary>The last segment of the topic's own path (ps/{id}).</summary>
    public string Id { get; }

    /// <summary>The last segment of the topic-data path (ps/data/{id}).</summary>
    public string DataId => Configuration.DataPath[(Configuration.DataPath.LastIndexOf('/') + 1)..];

    public Lock Gate { get; } = new();

    public TopicConfiguration Configuration { get; set; }

    /// <summary>Null while the topic is "half created": no publication yet.</summary>
    public Publication? Value { get; set; }

    /// <summary>When the last publication was accepted, in TimeProvider timestamp ticks; null before the first.</summary>
    public long? LastPublishedAt { get; set; }

    /// <summary>
    /// With the Redis store: the number the store gave the current value (or its clearing), growing with each; a value
    /// heard of with a number not above it is older or already known and is dropped. Zero with the file store.
    /// </summary>
    public long Sequence { get; set; }

    /// <summary>With the Redis store: the number of the current configuration, growing with each change of it.</summary>
    public long Generation { get; set; }

    /// <summary>Set once the topic is deleted: requests that still hold it answer 4.04.</summary>
    public bool Deleted { get; set; }

    public ResourceObservers Subscribers { get; } = new();

    public ITimer? ExpirationTimer { get; set; }
}

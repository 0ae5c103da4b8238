namespace Services.PubSub;

/// <summary>The broker's settings, bound from "Modules:PubSub".</summary>
public sealed class PubSubOptions
{
    public const string SectionName = "Modules:PubSub";

    /// <summary>The topic collection's path; topics live at Path/{id}, their data at Path/data/{id}.</summary>
    public string Path { get; set; } = "ps";

    /// <summary>The Content-Format of configuration maps, application/core-pubsub+cbor: "TBD606" in the draft, 606 as its sample broker.</summary>
    public int ContentFormat { get; set; } = 606;

    /// <summary>
    /// Where topics live: "File" (the default) keeps them in <see cref="StateDirectory"/> on this host; "Redis" keeps them
    /// in the Redis server of <see cref="PubSubRedisOptions.Configuration"/>, shared by every host configured alike.
    /// </summary>
    public string Store { get; set; } = FileStore;

    public const string FileStore = "File";

    public const string RedisStore = "Redis";

    /// <summary>The Redis store's settings, "Modules:PubSub:Redis"; read only with Store = Redis.</summary>
    public PubSubRedisOptions Redis { get; set; } = new();

    /// <summary>True when <see cref="Store"/> is "Redis" (any letter case).</summary>
    public bool UsesRedis => string.Equals(Store, RedisStore, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where topics, their configurations and last values are kept across restarts (Store = File); empty keeps them in memory only.</summary>
    public string StateDirectory { get; set; } = "pubsub";

    /// <summary>How many topics the broker holds; creating one more is refused with 4.03.</summary>
    public int MaxTopics { get; set; } = 1000;

    /// <summary>The largest publication; a bigger one is refused with 4.13.</summary>
    public int MaxPayloadBytes { get; set; } = 65536;

    /// <summary>Subscribers per topic when the topic sets no max-subscribers, and the ceiling for those that do.</summary>
    public int MaxSubscribers { get; set; } = 10000;

    /// <summary>
    /// The group of identities (<c>Access:Groups:{AdminGroup}</c>) whose members may reconfigure and delete any topic;
    /// everyone else only the topics they created. Empty: nobody but the creator.
    /// </summary>
    public string AdminGroup { get; set; } = "admin";

    /// <summary>The shortest time between two publications to one topic; a faster one gets 4.29. Zero allows any rate.</summary>
    public TimeSpan MinPublishInterval { get; set; } = TimeSpan.Zero;
}

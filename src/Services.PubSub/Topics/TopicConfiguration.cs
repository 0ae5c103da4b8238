namespace Services.PubSub.Topics;

/// <summary>
/// A topic's properties as its configuration map carries them, and who created it (no key of the map: the draft has
/// none, so it is kept in the state file and shown in the log only); immutable, replaced as a whole on each change.
/// </summary>
internal sealed record TopicConfiguration
{
    public const string DataResourceType = "core.ps.data";

    public const int DefaultObserverCheck = 86400;

    /// <summary>0 topic-name: unique among the broker's topics.</summary>
    public required string Name { get; init; }

    /// <summary>1 topic-data: the data resource's path, relative to the broker's root ("ps/data/1bd0d6d").</summary>
    public required string DataPath { get; init; }

    /// <summary>2 resource-type: always "core.ps.data".</summary>
    public string ResourceType { get; init; } = DataResourceType;

    /// <summary>3 topic-content-format: the one Content-Format publications must carry, if set.</summary>
    public int? ContentFormat { get; init; }

    /// <summary>4 topic-type: free text describing the data.</summary>
    public string? TopicType { get; init; }

    /// <summary>5 expiration-date: the topic is deleted at this time.</summary>
    public DateTimeOffset? Expiration { get; init; }

    /// <summary>6 max-subscribers: the most subscribers the topic-data accepts.</summary>
    public int? MaxSubscribers { get; init; }

    /// <summary>7 observer-check: seconds between confirmable notifications at most.</summary>
    public int ObserverCheck { get; init; } = DefaultObserverCheck;

    /// <summary>The identity of the client that created the topic (<c>Resources/Requester</c>); null for a topic stored before creators were kept.</summary>
    public string? Creator { get; init; }
}

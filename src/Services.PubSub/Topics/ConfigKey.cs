namespace Services.PubSub.Topics;

/// <summary>The integer keys of a topic configuration map (draft-ietf-core-coap-pubsub-21 §5.2).</summary>
internal static class ConfigKey
{
    public const int TopicName = 0;
    public const int TopicData = 1;
    public const int ResourceType = 2;
    public const int TopicContentFormat = 3;
    public const int TopicType = 4;
    public const int ExpirationDate = 5;
    public const int MaxSubscribers = 6;
    public const int ObserverCheck = 7;
    public const int Initialize = 8;

    public const int Last = Initialize;

    /// <summary>The key's name in the draft, for diagnostics.</summary>
    public static string NameOf(int key) => key switch
    {
        TopicName => "topic-name",
        TopicData => "topic-data",
        ResourceType => "resource-type",
        TopicContentFormat => "topic-content-format",
        TopicType => "topic-type",
        ExpirationDate => "expiration-date",
        MaxSubscribers => "max-subscribers",
        ObserverCheck => "observer-check",
        Initialize => "initialize",
        _ => $"key {key}",
    };

    /// <summary>Keys fixed at creation: changing them is refused with 4.00.</summary>
    public static bool IsImmutable(int key) => key is TopicName or TopicData or ResourceType;
}

namespace Services.PubSub.Topics;

/// <summary>The broker holds Modules:PubSub:MaxTopics topics: creation is refused with 4.03.</summary>
internal sealed class BrokerFullException(string message) : Exception(message);

/// <summary>A publication or initial value above Modules:PubSub:MaxPayloadBytes, or a configuration map above its limit: 4.13 with Size1.</summary>
internal sealed class PayloadTooLargeException(int limit, string what = "publication") : Exception($"at most {limit} bytes per {what}")
{
    public int Limit { get; } = limit;
}

/// <summary>The topic was deleted while the request held it: 4.04.</summary>
internal sealed class TopicGoneException() : Exception("the topic was deleted");

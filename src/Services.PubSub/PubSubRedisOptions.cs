namespace Services.PubSub;

/// <summary>"Modules:PubSub:Redis": where the shared store is and which of its keys are this broker's.</summary>
public sealed class PubSubRedisOptions
{
    /// <summary>A StackExchange.Redis configuration string ("127.0.0.1:6379,password=…,ssl=true").</summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>What every key and channel of this broker starts with, so that several brokers can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "coap:pubsub:";
}

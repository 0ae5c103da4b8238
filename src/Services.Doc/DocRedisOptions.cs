namespace Services.Doc;

/// <summary>"Modules:Doc:Redis": where the shared answer cache is and which of its keys are this service's.</summary>
public sealed class DocRedisOptions
{
    /// <summary>A StackExchange.Redis configuration string ("127.0.0.1:6379,password=…").</summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>What every cached answer's key starts with, so that other users of the Redis keep theirs apart.</summary>
    public string KeyPrefix { get; set; } = "coap:doc:";
}

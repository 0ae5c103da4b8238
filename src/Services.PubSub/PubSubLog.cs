using Microsoft.Extensions.Logging;

namespace Services.PubSub;

/// <summary>Log events of the broker.</summary>
internal static partial class PubSubLog
{
    [LoggerMessage(700, LogLevel.Error, "Pub-sub state file {File} cannot be read ({Reason}); it was moved aside to {Aside}")]
    public static partial void CorruptState(ILogger logger, string file, string aside, string reason);

    [LoggerMessage(701, LogLevel.Information, "Pub-sub broker loaded {Count} topics from {Directory}")]
    public static partial void Loaded(ILogger logger, int count, string directory);

    [LoggerMessage(702, LogLevel.Information, "Topic {Name} expired and was deleted")]
    public static partial void Expired(ILogger logger, string name);

    [LoggerMessage(703, LogLevel.Error, "Pub-sub state file {File} cannot be written or removed; the change was refused (5.00) and the topic left as it was")]
    public static partial void SaveFailed(ILogger logger, Exception error, string file);

    [LoggerMessage(704, LogLevel.Warning, "Stopped while changes were still being written to the state directory {Directory}; the last ones may be lost")]
    public static partial void StoppedWhileSaving(ILogger logger, string directory);

    [LoggerMessage(710, LogLevel.Warning, "Topic {Name} (created by {Creator}): {Count} subscriber(s) ended with a final 4.04 because {Requester} {Change}")]
    public static partial void SubscribersEnded(ILogger logger, int count, string name, string creator, string requester, string change);

    [LoggerMessage(720, LogLevel.Warning, "Redis is unreachable or refused a command ({What}); changes are refused with 5.03 and reads answered from this host's last known state until it is back")]
    public static partial void RedisUnavailable(ILogger logger, Exception? error, string what);

    [LoggerMessage(721, LogLevel.Information, "Redis is reachable; {Count} topics read again and subscribers told of what they missed")]
    public static partial void RedisResynced(ILogger logger, int count);

    [LoggerMessage(722, LogLevel.Warning, "Redis lost its data (its epoch key is new); this host put back the {Count} topics it holds")]
    public static partial void RedisRestored(ILogger logger, int count);

    [LoggerMessage(725, LogLevel.Warning, "Redis came back with older data (from a dump or a promoted replica); this host put back the later values or configurations of {Count} topics")]
    public static partial void RedisRolledBack(ILogger logger, int count);

    [LoggerMessage(723, LogLevel.Error, "Topic {Id} in Redis cannot be read ({Reason}); it is left out")]
    public static partial void RedisRecordUnreadable(ILogger logger, string id, string reason);

    [LoggerMessage(724, LogLevel.Information, "Pub-sub broker loaded {Count} topics from Redis")]
    public static partial void LoadedFromRedis(ILogger logger, int count);
}

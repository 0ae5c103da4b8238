using System.Globalization;
using System.Threading.Channels;
using Coap.Engine.Hosting;
using Microsoft.Extensions.Logging;
using Services.PubSub.Topics;
using StackExchange.Redis;

namespace Services.PubSub.State.Redis;

/// <summary>
/// The broker's topics in Redis (Modules:PubSub:Store = Redis), shared by every host configured with the same server
/// and key prefix. Each change runs as one script (<see cref="RedisScripts"/>) that also announces it on the events
/// channel; every host hears every announcement in Redis's order and hands it to its broker (<see cref="ISharedTopics"/>)
/// from one loop, so the broker sees the changes one at a time. When the connection comes back the store reads
/// everything again (announcements made meanwhile were lost), and if Redis lost its data (its epoch key is gone or
/// new) it first puts back what this host holds. Commands fail at once while Redis is unreachable (no backlog), as
/// <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed partial class RedisTopicStore : IDisposable
{
    /// <summary>Announcements waiting for the broker (with 64 KiB values, 64 MiB at most); beyond this the store drops them and reads everything again.</summary>
    private const int MaxWaitingEvents = 1024;

    /// <summary>How long, and how many, deletions are remembered so that a host putting back its topics after Redis lost its data does not bring them back.</summary>
    private const long RememberDeletedMs = 24 * 60 * 60 * 1000;
    private const int RememberDeletedCount = 100_000;

    /// <summary>How long after a failed read (of a change, or of everything) the store reads everything again.</summary>
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private readonly RedisChannel _channel;

    /// <summary>The channel's name as the scripts get it (made once, not per publication).</summary>
    private readonly string _channelName;
    private readonly RedisKey _ids;
    private readonly RedisKey _epochKey;
    private readonly RedisKey _gone;
    // Wait, not DropWrite: only then does TryWrite say false when the queue is full (DropWrite drops and says true),
    // which is how Enqueue knows to read everything again.
    private readonly Channel<Event> _events = Channel.CreateBounded<Event>(new BoundedChannelOptions(MaxWaitingEvents) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private ISharedTopics? _topics;
    private ChannelMessageQueue? _queue;
    private volatile string? _epoch;
    private volatile bool _synced;
    private int _resyncWanted;
    private int _overflowed;
    private int _unavailable;

    /// <summary>How many times the connection was lost: a read of everything during which it grew does not make the store synced.</summary>
    private int _losses;
    private TaskCompletionSource _resynced = NewSignal();
    private TaskCompletionSource _lost = NewSignal();
    private readonly Timer _retry;

    public RedisTopicStore(PubSubRedisOptions options, ILogger logger)
    {
        _logger = logger;
        _prefix = options.KeyPrefix;
        _channelName = _prefix + "events";
        _channel = RedisChannel.Literal(_channelName);
        _ids = _prefix + "ids";
        _epochKey = _prefix + "epoch";
        _gone = _prefix + "gone";
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 2000);
        _redis = ConnectionMultiplexer.Connect(configuration);
        _db = _redis.GetDatabase();
        _redis.ConnectionFailed += (_, failure) => OnConnectionFailed(failure);
        _redis.ConnectionRestored += (_, _) => OnConnectionRestored();
        _retry = new Timer(_ => RequestResync());
    }

    /// <summary>Completes at the end of the next read of everything after a reconnection (tests wait for it).</summary>
    internal Task NextResync => Volatile.Read(ref _resynced).Task;

    /// <summary>Completes when the connection to Redis is next lost (tests wait for it).</summary>
    internal Task NextLoss => Volatile.Read(ref _lost).Task;

    /// <summary>
    /// Subscribes to the announcements and reads every topic, at start. Null when Redis cannot be reached now: the
    /// broker starts empty and takes the topics when the connection comes (writes are refused until then). The
    /// announcements heard meanwhile wait until <see cref="Listen"/>, which the broker calls once it holds what was
    /// read: one made after the read then finds its topic (a value above the one read, a deletion).
    /// </summary>
    public IReadOnlyList<StoredTopic>? Start(ISharedTopics topics)
    {
        _topics = topics;
        try
        {
            var losses = Volatile.Read(ref _losses);
            Subscribe();
            _epoch = Epoch();
            var loaded = Parse((RedisResult[])_db.ScriptEvaluate(RedisScripts.LoadAll, [_ids], [_prefix])!);
            _synced = Volatile.Read(ref _losses) == losses;
            return loaded;
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _unavailable, 1);
            PubSubLog.RedisUnavailable(_logger, error, "loading the topics at start");
            return null;
        }
    }

    /// <summary>Hands the announcements (those heard since <see cref="Start"/> first) to the broker from now on.</summary>
    public void Listen() => Task.Run(ProcessEventsAsync).Forget(_logger, "applying the changes heard from Redis");

    /// <summary>
    /// False until the topics were read at start, and from a lost connection until they were read again: writes are
    /// refused meanwhile, so that none acts on a Redis that came back empty before this host put its topics back.
    /// </summary>
    public bool Synced => _synced;

    public async Task<CreateOutcome> CreateAsync(string id, TopicConfiguration configuration, Publication? value)
    {
        var result = await Run(RedisScripts.Create, KeysOf(id, configuration, withIds: true),
            [id, Record(id, configuration), value is null ? RedisValue.EmptyString : ValueRecord.Write(value), ExpireAt(configuration), _channelName]).ConfigureAwait(false);
        return (string?)result switch
        {
            "ok" => CreateOutcome.Created,
            "name" => CreateOutcome.NameTaken,
            "data" => CreateOutcome.DataTaken,
            _ => CreateOutcome.IdTaken,
        };
    }

    /// <summary>The new (generation, sequence); null when the topic is gone; generation -2 when it changed since <paramref name="generation"/>.</summary>
    public async Task<(long Generation, long Sequence)?> ReconfigureAsync(string id, TopicConfiguration configuration, long generation, Publication? initialize)
    {
        var result = (long[])(await Run(RedisScripts.Reconfigure, KeysOf(id, configuration, withIds: false),
            [id, Record(id, configuration), generation, initialize is null ? RedisValue.EmptyString : ValueRecord.Write(initialize), ExpireAt(configuration), _channelName]).ConfigureAwait(false))!;
        return result[0] == -1 ? null : (result[0], result.Length > 1 ? result[1] : 0);
    }

    /// <summary>The publication's number and whether it replaced a value; null when the topic is gone.</summary>
    public async Task<(long Sequence, bool Replaced)?> PublishAsync(string id, Publication value)
    {
        var result = (long[])(await Run(RedisScripts.Publish, [TopicKey(id)], [id, ValueRecord.Write(value), _channelName]).ConfigureAwait(false))!;
        return result[0] < 0 ? null : (result[0], result[1] == 1);
    }

    /// <summary>The clear's number; null when the topic is gone.</summary>
    public async Task<long?> ClearAsync(string id)
    {
        var sequence = (long)(await Run(RedisScripts.Clear, [TopicKey(id)], [id, _channelName]).ConfigureAwait(false));
        return sequence < 0 ? null : sequence;
    }

    /// <summary>True when the topic was there.</summary>
    public async Task<bool> DeleteAsync(string id, TopicConfiguration configuration) =>
        (long)(await Run(RedisScripts.Delete, [.. KeysOf(id, configuration, withIds: true), _gone], [id, _channelName, RememberDeletedMs, RememberDeletedCount]).ConfigureAwait(false)) == 1;

    /// <summary>One topic as Redis holds it now; null when it is gone.</summary>
    public async Task<StoredTopic?> LoadAsync(string id)
    {
        RedisValue[] fields;
        try
        {
            fields = await _db.HashGetAsync(TopicKey(id), ["c", "g", "v", "s"]).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw Unavailable(error);
        }

        return fields[0].IsNull ? null : Read(id, fields[0]!, (long)fields[1], fields[2].IsNull ? [] : (byte[])fields[2]!, (long)fields[3]);
    }

    private async Task<RedisResult> Run(string script, RedisKey[] keys, RedisValue[] values)
    {
        if (!Synced)
        {
            RequestResync();
            throw new StoreUnavailableException();
        }

        try
        {
            return await _db.ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            throw Unavailable(error);
        }
    }

    private StoreUnavailableException Unavailable(Exception error)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            PubSubLog.RedisUnavailable(_logger, error, "a change");
        }

        return new StoreUnavailableException(error);
    }

    private RedisKey[] KeysOf(string id, TopicConfiguration configuration, bool withIds)
    {
        var data = configuration.DataPath[(configuration.DataPath.LastIndexOf('/') + 1)..];
        RedisKey[] keys = [TopicKey(id), _prefix + "n:" + configuration.Name, _prefix + "d:" + data];
        return withIds ? [.. keys, _ids] : keys;
    }

    private RedisKey TopicKey(string id) => _prefix + "t:" + id;

    private static byte[] Record(string id, TopicConfiguration configuration) => TopicRecord.Write(id, configuration, null);

    private static RedisValue ExpireAt(TopicConfiguration configuration) =>
        configuration.Expiration is { } expiration ? Math.Max(1, expiration.ToUnixTimeMilliseconds()) : 0;

    private static StoredTopic Read(string id, byte[] record, long generation, byte[] value, long sequence)
    {
        var (recordId, configuration, _) = TopicRecord.Read(record);
        if (recordId != id)
        {
            throw new InvalidDataException($"the record of topic '{id}' holds '{recordId}'");
        }

        return new StoredTopic(id, configuration, generation, value.Length == 0 ? null : ValueRecord.Read(value), sequence);
    }

    private List<StoredTopic> Parse(RedisResult[] rows)
    {
        var topics = new List<StoredTopic>(rows.Length);
        foreach (var row in rows)
        {
            var fields = (RedisResult[])row!;
            var id = (string)fields[0]!;
            try
            {
                topics.Add(Read(id, (byte[])fields[1]!, long.Parse((string)fields[2]!, CultureInfo.InvariantCulture), (byte[])fields[3]! ?? [], long.Parse((string)fields[4]!, CultureInfo.InvariantCulture)));
            }
            catch (Exception error) when (error is InvalidDataException or FormatException or OverflowException)
            {
                PubSubLog.RedisRecordUnreadable(_logger, id, error.Message);
            }
        }

        return topics;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _retry.Dispose();
        _events.Writer.TryComplete();
        _redis.Dispose();
    }

    /// <summary>Whether it was created, or which of id, name or topic-data another topic holds.</summary>
    public enum CreateOutcome
    {
        Created,
        IdTaken,
        NameTaken,
        DataTaken,
    }
}

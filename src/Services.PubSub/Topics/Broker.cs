using System.Security.Cryptography;
using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Services.PubSub.State;
using Services.PubSub.State.Redis;

namespace Services.PubSub.Topics;

/// <summary>
/// The broker's topics: lookup by id, topic-data id and name; creation, configuration changes, publication and
/// deletion, each written to the <see cref="StateStore"/> before it takes effect, so that an answer of 2.xx means
/// the change survives a restart, and a write that fails (<see cref="StateWriteException"/>, 5.00) leaves the topic
/// as it was in memory. With a state directory every change goes through the <see cref="StateWriter"/> (group
/// commit: publications that wait together share their syncs), so the changes' tasks complete after the disk has them;
/// without one they complete at once. Subscribers are the observers of a topic's data; the broker sets their limit
/// and observer check and ends them with 4.04 when the topic or its data goes or max-subscribers is lowered below
/// their number, logging a warning that names how many, the topic's creator and who made the change. With
/// Modules:PubSub:Store = Redis every change is made in Redis instead and the topics are shared with every host on it
/// (Broker.Shared.cs).
/// </summary>
internal sealed partial class Broker : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Topic> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Topic> _byData = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Topic> _byName = new(StringComparer.Ordinal);
    private readonly PubSubOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StateStore? _store;
    private readonly StateWriter? _writer;
    private readonly RedisTopicStore? _shared;

    /// <summary>When an expired topic's file cannot be removed, the next attempt comes this much later.</summary>
    private static readonly TimeSpan ExpireRetry = TimeSpan.FromMinutes(1);

    /// <summary>How long stopping waits for the changes the writer accepted to reach the disk.</summary>
    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(10);

    public Broker(IOptions<PubSubOptions> options, TimeProvider time, ILogger<Broker> logger, IDiskSync sync)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        Path = _options.Path.Trim('/');
        DataPrefix = Path + "/data/";
        if (_options.UsesRedis)
        {
            _shared = new RedisTopicStore(_options.Redis, logger);
            LoadShared(_shared);
        }
        else if (_options.StateDirectory.Length > 0)
        {
            _store = new StateStore(_options.StateDirectory, time, logger, sync);
            Load(_store);
            _writer = new StateWriter(_store, Notify, logger);
        }
    }

    /// <summary>The collection's path without slashes ("ps").</summary>
    public string Path { get; }

    /// <summary>"ps/data/": what topic-data paths start with.</summary>
    public string DataPrefix { get; }

    public PubSubOptions Options => _options;

    public TimeProvider Time => _time;

    public Topic? Find(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public Topic? FindByData(string dataId)
    {
        lock (_gate)
        {
            return _byData.GetValueOrDefault(dataId);
        }
    }

    public Topic[] All()
    {
        lock (_gate)
        {
            return [.. _byId.Values.OrderBy(topic => topic.Configuration.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// The largest configuration map a request may carry: an initialize value of MaxPayloadBytes and every other key
    /// at its longest (four texts of 255 bytes, topic-data of this broker's prefix and a 255-byte id, five numbers)
    /// fit with room to spare; a larger payload is refused with 4.13 before it is parsed.
    /// </summary>
    public int MaxConfigurationBytes => _options.MaxPayloadBytes + 4096 + System.Text.Encoding.UTF8.GetByteCount(DataPrefix);

    /// <summary>
    /// Creates a topic recording <paramref name="creator"/>; refusals are <see cref="ConfigurationException"/> (4.00)
    /// or <see cref="BrokerFullException"/> (4.03).
    /// </summary>
    public Task<Topic> CreateAsync(ConfigurationFields fields, string creator) =>
        _shared is not null ? CreateSharedAsync(_shared, fields, creator) : Change(() => Create(fields, creator));

    private Topic Create(ConfigurationFields fields, string creator)
    {
        lock (_gate)
        {
            var topic = NewTopic(fields, creator);
            _store?.Save(topic.Id, topic.Configuration, topic.Value);
            _byId.Add(topic.Id, topic);
            _byData.Add(topic.DataId, topic);
            _byName.Add(topic.Configuration.Name, topic);
            Configure(topic);
            return topic;
        }
    }

    /// <summary>A new topic, checked against the ones this broker holds, not yet added; the caller holds the broker's lock.</summary>
    private Topic NewTopic(ConfigurationFields fields, string creator)
    {
        if (_byId.Count >= _options.MaxTopics)
        {
            throw new BrokerFullException($"the broker holds its maximum of {_options.MaxTopics} topics ({PubSubOptions.SectionName}:MaxTopics)");
        }

        var configuration = ConfigurationRules.Create(fields, DataPrefix, NewId(_byData), _time.GetUtcNow()) with { Creator = creator };
        if (_byName.ContainsKey(configuration.Name))
        {
            throw new ConfigurationException($"a topic named {PeerText.Quote(configuration.Name)} exists");
        }

        var topic = new Topic(NewId(_byId), configuration);
        if (_byData.ContainsKey(topic.DataId))
        {
            throw new ConfigurationException($"topic-data {PeerText.Quote(configuration.DataPath)} belongs to another topic");
        }

        if (fields.Initialize is { } initial)
        {
            CheckSize(initial.Length);
            topic.Value = new Publication(initial, configuration.ContentFormat);
            topic.LastPublishedAt = _time.GetTimestamp();
        }

        return topic;
    }

    /// <summary>
    /// Replaces a topic's configuration (POST, iPATCH) with what <paramref name="change"/> makes of the current one,
    /// under the topic's lock so that overlapping changes each build on the other; limits and expiration take effect at
    /// once, surplus subscribers get 4.04 (logged with <paramref name="requester"/>). Returns the new configuration.
    /// </summary>
    public Task<TopicConfiguration> ReconfigureAsync(Topic topic, Func<TopicConfiguration, TopicConfiguration> change, byte[]? initialize, string requester) =>
        _shared is not null
            ? ReconfigureSharedAsync(_shared, topic, change, initialize, requester)
            : Change(() => Reconfigure(topic, change, initialize, requester));

    private TopicConfiguration Reconfigure(Topic topic, Func<TopicConfiguration, TopicConfiguration> change, byte[]? initialize, string requester)
    {
        TopicConfiguration configuration;
        lock (topic.Gate)
        {
            ThrowIfDeleted(topic);
            configuration = change(topic.Configuration);
            var value = topic.Value;
            if (initialize is not null)
            {
                CheckSize(initialize.Length);
                value = new Publication(initialize, configuration.ContentFormat);
            }

            _store?.Save(topic.Id, configuration, value);
            topic.Configuration = configuration;
            if (!ReferenceEquals(value, topic.Value))
            {
                topic.Value = value;
                topic.LastPublishedAt = _time.GetTimestamp();
            }
        }

        if (Configure(topic) is var ended and > 0)
        {
            LogEnded(topic, ended, requester, $"lowered max-subscribers to {topic.Subscribers.Capacity}");
        }

        if (initialize is not null)
        {
            Notify(topic);
        }

        return configuration;
    }

    /// <summary>
    /// Stores a publication unless it comes sooner than <c>MinPublishInterval</c> after the last one (checked under the
    /// same lock, so two at once cannot both pass): returns the wait before one is allowed (nothing stored), or zero and
    /// whether it replaced a value (2.04) rather than being the first (2.01). With a state directory the value takes
    /// effect, and the task completes, once a group commit has it on the disk.
    /// </summary>
    public async ValueTask<(TimeSpan Wait, bool Replaced)> PublishAsync(Topic topic, ReadOnlyMemory<byte> payload, int? contentFormat)
    {
        if (_shared is not null)
        {
            return await PublishSharedAsync(_shared, topic, payload, contentFormat).ConfigureAwait(false);
        }

        Publication value;
        bool replaced;
        lock (topic.Gate)
        {
            if (Admit(topic, payload, contentFormat, out var wait) is not { } admitted)
            {
                return (wait, false);
            }

            value = admitted;
            replaced = topic.Value is not null;
            if (_writer is null)
            {
                topic.Value = value;
            }
        }

        if (_writer is null)
        {
            Notify(topic);
            return (TimeSpan.Zero, replaced);
        }

        return (TimeSpan.Zero, await _writer.PublishAsync(topic, value).ConfigureAwait(false));
    }

    /// <summary>
    /// Tells a topic's subscribers of its new value. The fan-out runs off the publisher's request: its 2.04 says the
    /// value is stored, not that N subscribers have been sent it, and publications that arrive during a fan-out fold
    /// into one more (the latest value).
    /// </summary>
    private void Notify(Topic topic) =>
        ThreadPool.UnsafeQueueUserWorkItem(
            static work =>
            {
                try
                {
                    work.Subscribers.NotifyChanged();
                }
                catch (Exception error)
                {
                    BackgroundWork.Report(work.Logger, error, "notifying a topic's subscribers");
                }
            },
            (Logger: _logger, topic.Subscribers),
            preferLocal: false);

    /// <summary>
    /// A publication of <paramref name="payload"/> when the topic takes one now (its time noted), or null with the
    /// wait before the next is allowed (TopicGoneException for a deleted topic). The caller holds the topic's lock.
    /// </summary>
    private Publication? Admit(Topic topic, ReadOnlyMemory<byte> payload, int? contentFormat, out TimeSpan wait)
    {
        ThrowIfDeleted(topic);
        wait = PublishWait(topic);
        if (wait > TimeSpan.Zero)
        {
            return null;
        }

        topic.LastPublishedAt = _time.GetTimestamp();
        return new Publication(payload.ToArray(), contentFormat);
    }

    /// <summary>The wait before the next publication is allowed, or zero; the caller holds the topic's lock.</summary>
    private TimeSpan PublishWait(Topic topic)
    {
        if (_options.MinPublishInterval <= TimeSpan.Zero || topic.LastPublishedAt is not { } last)
        {
            return TimeSpan.Zero;
        }

        var remaining = _options.MinPublishInterval - _time.GetElapsedTime(last);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>DELETE on the topic-data: back to "half created"; subscribers get a final 4.04.</summary>
    public async Task ClearValueAsync(Topic topic, string requester)
    {
        if (_shared is not null)
        {
            await ClearSharedAsync(_shared, topic, requester).ConfigureAwait(false);
            return;
        }

        await Change(() =>
        {
            lock (topic.Gate)
            {
                ThrowIfDeleted(topic);
                _store?.Save(topic.Id, topic.Configuration, null);
                topic.Value = null;
                topic.LastPublishedAt = null;
            }

            return true;
        }).ConfigureAwait(false);
        LogEnded(topic, topic.Subscribers.Evict(0, CoapCode.NotFound), requester, "deleted the topic's data");
    }

    /// <summary>
    /// DELETE on the topic by <paramref name="requester"/>, or its expiration (null): the topic and its data go;
    /// subscribers get a final 4.04. False when it was gone already.
    /// </summary>
    public async Task<bool> DeleteAsync(Topic topic, string? requester)
    {
        if (_shared is not null)
        {
            return await DeleteSharedAsync(_shared, topic, requester).ConfigureAwait(false);
        }

        if (!await Change(() => Remove(topic)).ConfigureAwait(false))
        {
            return false;
        }

        LogEnded(topic, topic.Subscribers.Evict(0, CoapCode.NotFound), requester ?? "its expiration-date", "deleted the topic");
        return true;
    }

    private bool Remove(Topic topic)
    {
        lock (_gate)
        {
            lock (topic.Gate)
            {
                if (topic.Deleted)
                {
                    return false;
                }

                _store?.Delete(topic.Id);
                topic.Deleted = true;
                topic.ExpirationTimer?.Dispose();
                _byId.Remove(topic.Id);
                _byData.Remove(topic.DataId);
                _byName.Remove(topic.Configuration.Name);
            }
        }

        return true;
    }

    /// <summary>Runs a change through the writer (after every change accepted before it), or at once without a state directory.</summary>
    private Task<T> Change<T>(Func<T> change)
    {
        if (_writer is not null)
        {
            return _writer.RunAsync(change);
        }

        try
        {
            return Task.FromResult(change());
        }
        catch (Exception error)
        {
            return Task.FromException<T>(error);
        }
    }

    /// <summary>Subscribers that a change ended are never ended silently: a warning says how many, whose topic and who did it.</summary>
    private void LogEnded(Topic topic, int ended, string requester, string change)
    {
        if (ended > 0)
        {
            PubSubLog.SubscribersEnded(_logger, ended, topic.Configuration.Name, topic.Configuration.Creator ?? "unknown", requester, change);
        }
    }

    public void Dispose()
    {
        foreach (var topic in All())
        {
            topic.ExpirationTimer?.Dispose();
        }

        if (_writer?.Close(ShutdownWait) == false)
        {
            PubSubLog.StoppedWhileSaving(_logger, _options.StateDirectory);
        }

        _shared?.Dispose();
    }

    /// <summary>A request's configuration map: <see cref="PayloadTooLargeException"/> above <see cref="MaxConfigurationBytes"/>, unparsed.</summary>
    public ConfigurationFields ReadConfiguration(ReadOnlyMemory<byte> payload) =>
        payload.Length <= MaxConfigurationBytes ? ConfigurationCodec.Read(payload) : throw new PayloadTooLargeException(MaxConfigurationBytes, "configuration map");

    /// <summary>A publication or initial value larger than MaxPayloadBytes.</summary>
    public void CheckSize(int length)
    {
        if (length > _options.MaxPayloadBytes)
        {
            throw new PayloadTooLargeException(_options.MaxPayloadBytes);
        }
    }

    private static void ThrowIfDeleted(Topic topic)
    {
        if (topic.Deleted)
        {
            throw new TopicGoneException();
        }
    }

    /// <summary>Seven hex digits, as in the draft's examples ("ps/data/1bd0d6d"), unused in <paramref name="taken"/>.</summary>
    private static string NewId(Dictionary<string, Topic> taken)
    {
        while (true)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))[..7];
            if (!taken.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private void Load(StateStore store)
    {
        var now = _time.GetUtcNow();
        var loaded = store.Load();
        foreach (var (id, configuration, value) in loaded)
        {
            var topic = new Topic(id, configuration) { Value = value, LastPublishedAt = value is null ? null : _time.GetTimestamp() };
            if (configuration.Expiration is { } expiration && expiration <= now)
            {
                store.Delete(id);
                PubSubLog.Expired(_logger, configuration.Name);
                continue;
            }

            if (!_byId.TryAdd(id, topic) || !_byData.TryAdd(topic.DataId, topic) || !_byName.TryAdd(configuration.Name, topic))
            {
                throw new CoapConfigurationException($"the {PubSubOptions.SectionName}:StateDirectory holds two topics with id, data or name of '{id}'");
            }

            Configure(topic);
        }

        PubSubLog.Loaded(_logger, _byId.Count, store.Directory);
    }

    /// <summary>
    /// Applies max-subscribers (evicting the newest surplus with 4.04), observer-check and the expiration timer;
    /// returns how many subscribers were ended.
    /// </summary>
    private int Configure(Topic topic)
    {
        TopicConfiguration configuration;
        lock (topic.Gate)
        {
            configuration = topic.Configuration;
            topic.ExpirationTimer?.Dispose();
            topic.ExpirationTimer = configuration.Expiration is { } expiration
                ? _time.CreateTimer(_logger, "expiring a topic", () => Expire(topic), Due(expiration), Timeout.InfiniteTimeSpan)
                : null;
        }

        var capacity = Math.Min(configuration.MaxSubscribers ?? _options.MaxSubscribers, _options.MaxSubscribers);
        topic.Subscribers.Capacity = capacity;
        topic.Subscribers.ObserverCheck = TimeSpan.FromSeconds(configuration.ObserverCheck);
        return topic.Subscribers.Evict(capacity, CoapCode.NotFound);
    }

    /// <summary>Timers take at most about 49 days; a later expiration re-arms when that time comes.</summary>
    private TimeSpan Due(DateTimeOffset expiration)
    {
        var due = expiration - _time.GetUtcNow();
        var longest = TimeSpan.FromDays(40);
        return due < TimeSpan.Zero ? TimeSpan.Zero : due > longest ? longest : due;
    }

    private void Expire(Topic topic)
    {
        var expiration = topic.Configuration.Expiration;
        if (expiration is null || topic.Deleted)
        {
            return;
        }

        if (expiration > _time.GetUtcNow())
        {
            Configure(topic);
            return;
        }

        ExpireAsync(topic).Forget(_logger, "expiring a topic");
    }

    private async Task ExpireAsync(Topic topic)
    {
        try
        {
            if (await DeleteAsync(topic, requester: null).ConfigureAwait(false))
            {
                PubSubLog.Expired(_logger, topic.Configuration.Name);
            }
        }
        catch (StoreUnavailableException) when (_shared is not null)
        {
            // Redis removes the topic itself (its keys' TTL is the expiration-date); this host ends it now rather than
            // serve it past its date until Redis answers again.
            if (Forget(topic, "its expiration-date"))
            {
                PubSubLog.Expired(_logger, topic.Configuration.Name);
            }
        }
        catch (Exception error) when (error is StateWriteException or WriterBusyException or StoreUnavailableException)
        {
            // The store has logged why, or the writer is behind; the topic stays until a later attempt removes it.
            lock (topic.Gate)
            {
                topic.ExpirationTimer?.Change(ExpireRetry, Timeout.InfiniteTimeSpan);
            }
        }
    }
}

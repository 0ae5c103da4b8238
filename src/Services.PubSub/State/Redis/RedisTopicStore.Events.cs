using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Services.PubSub.Topics;
using StackExchange.Redis;

namespace Services.PubSub.State.Redis;

/// <summary>The announcements of every host's changes, and reading everything again after a reconnection.</summary>
internal sealed partial class RedisTopicStore
{
    /// <summary>An announcement as Redis sent it, or (null) a request to read everything again.</summary>
    private readonly record struct Event(byte[]? Message);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _barriers = new(StringComparer.Ordinal);

    /// <summary>
    /// Completes once this host has taken every change announced before the call (the announcements reach each host in
    /// one order): "b {marker}" goes through the events channel like any change. Tests wait on it for other hosts' changes.
    /// </summary>
    internal async Task HeardAllAsync()
    {
        var marker = Guid.NewGuid().ToString("N");
        var heard = NewSignal();
        _barriers[marker] = heard;
        await _redis.GetSubscriber().PublishAsync(_channel, "b " + marker).ConfigureAwait(false);
        await heard.Task.ConfigureAwait(false);
    }

    private void Subscribe()
    {
        if (_queue is not null)
        {
            return;
        }

        var queue = _redis.GetSubscriber().Subscribe(_channel);
        queue.OnMessage(message => Enqueue(new Event((byte[])message.Message!)));
        _queue = queue;
    }

    /// <summary>Redis's epoch key: set by the first host on an empty Redis; when it is gone or new, Redis lost its data.</summary>
    private string Epoch()
    {
        _db.StringSet(_epochKey, Guid.NewGuid().ToString("N"), when: When.NotExists);
        return (string?)_db.StringGet(_epochKey) ?? throw new RedisException("the epoch key vanished as it was set");
    }

    private async Task<string> EpochAsync()
    {
        await _db.StringSetAsync(_epochKey, Guid.NewGuid().ToString("N"), when: When.NotExists).ConfigureAwait(false);
        return (string?)await _db.StringGetAsync(_epochKey).ConfigureAwait(false) ?? throw new RedisException("the epoch key vanished as it was set");
    }

    private void OnConnectionFailed(ConnectionFailedEventArgs failure)
    {
        Interlocked.Increment(ref _losses);
        _synced = false;
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            PubSubLog.RedisUnavailable(_logger, failure.Exception, failure.FailureType.ToString());
        }

        Interlocked.Exchange(ref _lost, NewSignal()).TrySetResult();
    }

    private void OnConnectionRestored() => RequestResync();

    /// <summary>Asks the loop to read everything again; requests made before it starts are one.</summary>
    private void RequestResync()
    {
        if (Interlocked.Exchange(ref _resyncWanted, 1) == 0)
        {
            Enqueue(default);
        }
    }

    private void Enqueue(Event item)
    {
        if (!_events.Writer.TryWrite(item))
        {
            // Too far behind: what was dropped is read again once the loop catches up.
            Interlocked.Exchange(ref _overflowed, 1);
        }
    }

    private async Task ProcessEventsAsync()
    {
        var reader = _events.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    if (item.Message is null || Interlocked.Exchange(ref _overflowed, 0) == 1)
                    {
                        Interlocked.Exchange(ref _resyncWanted, 0);
                        await ResyncAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        await ApplyAsync(item.Message).ConfigureAwait(false);
                    }
                }
                catch (Exception error) when (error is RedisException or TimeoutException or StoreUnavailableException)
                {
                    // Redis went away, or did not answer in time, while this was read: what was missed is read again
                    // after a while (a reconnection asks for that too), so a host whose connection stayed up still
                    // catches up.
                    Interlocked.Exchange(ref _unavailable, 1);
                    _synced = false;
                    _retry.Change(RetryAfter, Timeout.InfiniteTimeSpan);
                }
                catch (ObjectDisposedException)
                {
                    // Stopping.
                    return;
                }
                catch (Exception error)
                {
                    Coap.Engine.Hosting.BackgroundWork.Report(_logger, error, "applying a change heard from Redis");
                }
            }
        }
    }

    /// <summary>"c {id}", "d {id}", "v {id} {s} {value}", "x {id} {s}", and "b {marker}" of <see cref="HeardAllAsync"/>.</summary>
    private async Task ApplyAsync(byte[] message)
    {
        var topics = _topics!;
        if (message.Length < 3 || message[1] != (byte)' ')
        {
            return;
        }

        var rest = message.AsSpan(2);
        var space = rest.IndexOf((byte)' ');
        var id = Encoding.UTF8.GetString(space < 0 ? rest : rest[..space]);
        switch ((char)message[0])
        {
            case 'c':
                if (await LoadAsync(id).ConfigureAwait(false) is { } stored)
                {
                    topics.Changed(stored);
                }
                else
                {
                    topics.Deleted(id);
                }

                break;
            case 'd':
                topics.Deleted(id);
                break;
            case 'b':
                if (_barriers.TryRemove(id, out var heard))
                {
                    heard.TrySetResult();
                }

                break;
            case 'v' or 'x' when space > 0:
                var tail = rest[(space + 1)..];
                var end = tail.IndexOf((byte)' ');
                if (!Utf8Parser.TryParse(end < 0 ? tail : tail[..end], out long sequence, out _) || !topics.Awaits(id, sequence))
                {
                    // The publishing host (and any host that read it again meanwhile) already holds it: not decoded.
                    return;
                }

                try
                {
                    topics.Published(id, sequence, message[0] == (byte)'v' && end >= 0 ? ValueRecord.Read(tail[(end + 1)..].ToArray()) : null);
                }
                catch (InvalidDataException error)
                {
                    PubSubLog.RedisRecordUnreadable(_logger, id, error.Message);
                }

                break;
        }
    }

    /// <summary>
    /// Redis back from an older dump (RDB or AOF) or a promoted replica keeps the epoch key, but a topic's numbers go
    /// back below what the hosts hold, and a publication numbered from there would be dropped by every host after its
    /// 2.04. This host's higher numbers (and the value and configuration they belong to) are put back for every topic
    /// both hold; a topic Redis no longer holds is not brought back (it may have been deleted meanwhile).
    /// </summary>
    private async Task RaiseRolledBackAsync(List<StoredTopic> all)
    {
        var held = _topics!.Snapshot().ToDictionary(topic => topic.Id, StringComparer.Ordinal);
        var raised = 0;
        foreach (var stored in all)
        {
            if (held.TryGetValue(stored.Id, out var mine) && (mine.Sequence > stored.Sequence || mine.Generation > stored.Generation))
            {
                await RestoreAsync(mine).ConfigureAwait(false);
                raised++;
            }
        }

        if (raised > 0)
        {
            PubSubLog.RedisRolledBack(_logger, raised);
        }
    }

    /// <summary>Writes a topic as this host holds it; Redis keeps whichever configuration and value carry the higher number.</summary>
    private Task RestoreAsync(StoredTopic topic)
    {
        var c = topic.Configuration;
        return _db.ScriptEvaluateAsync(RedisScripts.Restore, [.. KeysOf(topic.Id, c, withIds: true), _gone],
            [topic.Id, Record(topic.Id, c), topic.Generation, topic.Value is null ? RedisValue.EmptyString : ValueRecord.Write(topic.Value), topic.Sequence, ExpireAt(c), _channelName]);
    }

    /// <summary>
    /// After a reconnection (or when announcements were dropped): subscribe if that failed at start, put back what this
    /// host holds if Redis lost its data, then read every topic and hand them to the broker.
    /// </summary>
    private async Task ResyncAsync()
    {
        var topics = _topics!;
        var losses = Volatile.Read(ref _losses);
        Subscribe();
        var epoch = await EpochAsync().ConfigureAwait(false);
        if (_epoch is not null && epoch != _epoch)
        {
            var held = topics.Snapshot();
            foreach (var topic in held)
            {
                await RestoreAsync(topic).ConfigureAwait(false);
            }

            PubSubLog.RedisRestored(_logger, held.Count);
        }

        var all = Parse((RedisResult[])(await _db.ScriptEvaluateAsync(RedisScripts.LoadAll, [_ids], [_prefix]).ConfigureAwait(false))!);
        await RaiseRolledBackAsync(all).ConfigureAwait(false);
        var found = new HashSet<string>(all.Select(topic => topic.Id), StringComparer.Ordinal);
        foreach (var id in topics.Ids())
        {
            // A topic created after the read above is not in it, but is not gone either.
            if (!found.Contains(id) && await LoadAsync(id).ConfigureAwait(false) is { } late)
            {
                all.Add(late);
            }
        }

        topics.Resynced(all);
        _epoch = epoch;
        if (Volatile.Read(ref _losses) == losses)
        {
            _synced = true;
            Interlocked.Exchange(ref _unavailable, 0);
        }

        // else the connection dropped during this read: the Redis it is back to may have lost what was put back, and
        // the reconnection has asked for another read; writes wait for that one.
        PubSubLog.RedisResynced(_logger, all.Count);
        Interlocked.Exchange(ref _resynced, NewSignal()).TrySetResult();
    }
}

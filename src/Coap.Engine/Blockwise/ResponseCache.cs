using System.Diagnostics.CodeAnalysis;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Whole responses whose remaining blocks a client will ask for (RFC 7959 §2.4, §3.3): each later block is sliced from
/// the response made for the first instead of running the handler again (or, in a proxy, fetching the upstream
/// again). Each is kept for the cache's lifetime after it was added; expired ones go whenever one is added. Bounded two
/// ways: with <c>maxEntries</c> live, a new response is not kept (its later blocks run the handler again); beyond
/// <c>maxBytes</c> (payload plus <see cref="EntryOverhead"/> each) the oldest go first, and a response larger than that
/// alone is not kept. Safe to use from any thread; the responses are stored and returned as given.
/// </summary>
/// <typeparam name="TKey">What ties a transfer's requests together: the engine's stages use the peer and the request's cache-key options.</typeparam>
public sealed class ResponseCache<TKey>
    where TKey : notnull
{
    /// <summary>How many responses the engine's own stages keep at most.</summary>
    public const int DefaultMaxEntries = 1024;

    /// <summary>What an entry counts for besides its payload, against <c>maxBytes</c>.</summary>
    public const int EntryOverhead = 128;

    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _byAge = new();
    private readonly TimeProvider _time;
    private readonly long _lifetimeTicks;
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private long _bytes;

    public ResponseCache(TimeProvider time, TimeSpan lifetime, int maxEntries = DefaultMaxEntries, long maxBytes = long.MaxValue)
    {
        _time = time;
        _lifetimeTicks = (long)(lifetime.TotalSeconds * time.TimestampFrequency);
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
    }

    /// <summary>What the kept responses count for against <c>maxBytes</c>.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Keeps a response for a transfer's later blocks, replacing one kept under the same key.</summary>
    public void Add(TKey key, CoapMessage response)
    {
        var size = EntryOverhead + (long)response.Payload.Length;
        if (size > _maxBytes)
        {
            return;
        }

        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                RemoveLocked(old);
            }

            // Every entry lives as long: the expired ones are the oldest.
            while (_byAge.First is { } oldest && (oldest.Value.Expires <= now || _bytes + size > _maxBytes))
            {
                RemoveLocked(oldest);
            }

            if (_entries.Count >= _maxEntries)
            {
                return;
            }

            _entries.Add(key, _byAge.AddLast(new Entry(key, response, now + _lifetimeTicks, size)));
            _bytes += size;
        }
    }

    /// <summary>The response kept under the key, unless it expired.</summary>
    public bool TryGet(TKey key, [NotNullWhen(true)] out CoapMessage? response)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (node.Value.Expires > _time.GetTimestamp())
                {
                    response = node.Value.Response;
                    return true;
                }

                RemoveLocked(node);
            }
        }

        response = null;
        return false;
    }

    /// <summary>Drops the response kept under the key: its transfer is over.</summary>
    public void Remove(TKey key)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                RemoveLocked(node);
            }
        }
    }

    /// <summary>Callers hold the lock.</summary>
    private void RemoveLocked(LinkedListNode<Entry> node)
    {
        _byAge.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Size;
    }

    private sealed record Entry(TKey Key, CoapMessage Response, long Expires, long Size);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Services.Doc.Caching;

/// <summary>
/// Answers by query (ID zeroed, RFC 9953 §4.2: equal queries from different clients share an entry) until their Max-Age
/// runs out. The body is kept as sent, its TTLs relative to Max-Age (RFC 9953 §4.3.1), so a hit only ages the Max-Age:
/// Max-Age + TTL still counts down from the upstream's TTL, and the body, hence its ETag, stays the same. The cache is
/// bounded in entries (CacheEntries) and in bytes (CacheBytes, keys and bookkeeping counted), so large answers cannot
/// grow it past its budget; changes take one lock, hits none.
/// </summary>
internal sealed class DnsAnswerCache(IOptions<DocOptions> options, TimeProvider time)
{
    /// <summary>What an entry costs besides its key and body: the record, the dictionary node, the arrays' headers.</summary>
    internal const int EntryOverhead = 128;

    private readonly ConcurrentDictionary<string, CachedAnswer> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity = options.Value.CacheEntries;
    private readonly long _budget = options.Value.CacheBytes;
    private readonly Lock _gate = new();
    private long _bytes;

    public int Count => _entries.Count;

    /// <summary>The bytes the entries hold now, as counted against CacheBytes.</summary>
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

    public static string KeyOf(ReadOnlySpan<byte> query)
    {
        var copy = query.ToArray();
        copy[0] = 0;
        copy[1] = 0;
        return Convert.ToBase64String(copy);
    }

    public bool TryGet(string key, out byte[] body, out uint maxAge)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            var age = (long)time.GetElapsedTime(entry.StoredAt).TotalSeconds;
            if (age < entry.MaxAge)
            {
                body = entry.Body;
                maxAge = entry.MaxAge - (uint)age;
                return true;
            }

            lock (_gate)
            {
                Remove(key, entry);
            }
        }

        body = [];
        maxAge = 0;
        return false;
    }

    public void Add(string key, byte[] body, uint maxAge)
    {
        var size = SizeOf(key, body);
        if (_capacity == 0 || maxAge == 0 || size > _budget)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                Remove(key, old);
            }

            if (_entries.Count >= _capacity || _bytes + size > _budget)
            {
                RemoveExpired();
                if (_entries.Count >= _capacity || _bytes + size > _budget)
                {
                    return;
                }
            }

            _entries[key] = new CachedAnswer(body, time.GetTimestamp(), maxAge);
            _bytes += size;
        }
    }

    private static long SizeOf(string key, byte[] body) => (key.Length * sizeof(char)) + body.Length + EntryOverhead;

    /// <summary>Under the lock.</summary>
    private void RemoveExpired()
    {
        foreach (var (key, entry) in _entries)
        {
            if (time.GetElapsedTime(entry.StoredAt).TotalSeconds >= entry.MaxAge)
            {
                Remove(key, entry);
            }
        }
    }

    /// <summary>Under the lock.</summary>
    private void Remove(string key, CachedAnswer entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, CachedAnswer>(key, entry)))
        {
            _bytes -= SizeOf(key, entry.Body);
        }
    }
}

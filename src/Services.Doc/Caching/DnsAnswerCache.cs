using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Services.Doc.Caching;

/// <summary>
/// Answers by query (ID zeroed, RFC 9953 §4.2: equal queries from different clients share an entry) until their Max-Age
/// runs out. The body is kept as sent, its TTLs relative to Max-Age (RFC 9953 §4.3.1), so a hit only ages the Max-Age:
/// Max-Age + TTL still counts down from the upstream's TTL, and the body, hence its ETag, stays the same.
/// </summary>
internal sealed class DnsAnswerCache(IOptions<DocOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CachedAnswer> _entries = new(StringComparer.Ordinal);
    private readonly int _capacity = options.Value.CacheEntries;

    public int Count => _entries.Count;

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

            _entries.TryRemove(new KeyValuePair<string, CachedAnswer>(key, entry));
        }

        body = [];
        maxAge = 0;
        return false;
    }

    public void Add(string key, byte[] body, uint maxAge)
    {
        if (_capacity == 0 || maxAge == 0)
        {
            return;
        }

        if (_entries.Count >= _capacity)
        {
            RemoveExpired();
            if (_entries.Count >= _capacity)
            {
                return;
            }
        }

        _entries[key] = new CachedAnswer(body, time.GetTimestamp(), maxAge);
    }

    private void RemoveExpired()
    {
        foreach (var (key, entry) in _entries)
        {
            if (time.GetElapsedTime(entry.StoredAt).TotalSeconds >= entry.MaxAge)
            {
                _entries.TryRemove(new KeyValuePair<string, CachedAnswer>(key, entry));
            }
        }
    }
}

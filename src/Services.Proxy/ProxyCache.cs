using System.Diagnostics.Metrics;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Services.Proxy;

/// <summary>
/// The proxy's response cache (RFC 7252 §5.6, §5.7.1): 2.05 answers to GET by cache key (method, upstream URI and
/// every request option that is part of the key), fresh for their Max-Age (60 s when absent), served with Max-Age
/// lowered by their age; a stale one with an ETag can be revalidated. Bounded in bytes, least recently used out
/// first. Hits and misses are counted (the "Services.Proxy" meter, and a log line every 1000 lookups).
/// </summary>
internal sealed class ProxyCache : IDisposable
{
    /// <summary>The Max-Age of a response without one (RFC 7252 §5.10.5).</summary>
    public const uint DefaultMaxAge = 60;

    private const int ReportEvery = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<CacheEntry>> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CacheEntry>> _byUri = new(StringComparer.Ordinal);
    private readonly LinkedList<CacheEntry> _recent = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _capacity;
    private readonly Meter _meter;
    private long _bytes;
    private long _hits;
    private long _misses;

    public ProxyCache(long capacity, TimeProvider time, ILogger logger)
    {
        _capacity = capacity;
        _time = time;
        _logger = logger;
        _meter = new Meter("Services.Proxy");
        _meter.CreateObservableCounter("coap.proxy.cache.hits", () => Hits, description: "Requests answered from the proxy's cache");
        _meter.CreateObservableCounter("coap.proxy.cache.misses", () => Misses, description: "Cacheable requests the proxy sent upstream");
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

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

    /// <summary>
    /// The cache key of a request to <paramref name="target"/>: method, URI, and the options that are part of the key
    /// (not NoCacheKey ones, not Max-Age or ETag, not the target's own or this hop's: Uri-*, Proxy-*, Observe, blocks,
    /// Hop-Limit).
    /// </summary>
    public static string KeyOf(CoapMessage request, ProxyTarget target)
    {
        if (request.Code == CoapCode.Get && !HasKeyOptions(request))
        {
            return target.GetKey;
        }

        var key = new System.Text.StringBuilder(target.Uri.Length + 8).Append(request.Code.Value).Append(' ').Append(target.Uri);
        foreach (var option in request.Options)
        {
            if (PartOfKey(option.Number))
            {
                key.Append('|').Append(option.Number).Append('=').Append(Convert.ToHexString(option.Value.Span));
            }
        }

        if (request.Code == CoapCode.Fetch)
        {
            key.Append("|body=").Append(Convert.ToHexString(request.Payload.Span));
        }

        return key.ToString();
    }

    /// <summary>The entry for a key, fresh or stale (see <see cref="Remaining"/>), marked as recently used; counted as a hit when fresh.</summary>
    public CacheEntry? Find(string key)
    {
        CacheEntry? found = null;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                found = node.Value;
            }
        }

        var hit = found is not null && Remaining(found) > 0;
        if (hit)
        {
            Interlocked.Increment(ref _hits);
        }
        else
        {
            Interlocked.Increment(ref _misses);
        }

        if ((Hits + Misses) % ReportEvery == 0)
        {
            ProxyLog.CacheReport(_logger, Hits, Misses, Bytes);
        }

        return found;
    }

    /// <summary>Seconds of freshness left (RFC 7252 §5.6.1); 0 or less when stale.</summary>
    public long Remaining(CacheEntry entry)
    {
        var age = (long)_time.GetElapsedTime(entry.StoredAt).TotalSeconds;
        return entry.MaxAge - age;
    }

    /// <summary>A copy of the entry's response for the client, its Max-Age lowered by its age (RFC 7252 §5.6.1).</summary>
    public CoapMessage Serve(CacheEntry entry)
    {
        var response = CoapMessage.CreateResponse(entry.Response.Code, entry.Response.Payload);
        foreach (var option in entry.Response.Options)
        {
            response.Options.Add(option);
        }

        response.MaxAge = (uint)Math.Max(0, Remaining(entry));
        return response;
    }

    /// <summary>
    /// Keeps a 2.05 for its Max-Age (none with Max-Age 0), replacing the key's entry; evicts the least recently used
    /// beyond the size. False when it was not kept.
    /// </summary>
    public bool Store(string key, string uri, CoapMessage response)
    {
        if (response.Code != CoapCode.Content || response.MaxAge == 0)
        {
            return false;
        }

        var entry = new CacheEntry(key, uri, response, _time.GetTimestamp());
        if (entry.Size > _capacity)
        {
            return false;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                RemoveLocked(old);
            }

            var node = _recent.AddFirst(entry);
            _entries.Add(key, node);
            if (!_byUri.TryGetValue(uri, out var ofUri))
            {
                _byUri.Add(uri, ofUri = []);
            }

            ofUri.Add(entry);
            _bytes += entry.Size;
            while (_bytes > _capacity && _recent.Last is { } last)
            {
                RemoveLocked(last);
            }
        }

        return true;
    }

    /// <summary>A 2.03 answered a revalidation (RFC 7252 §5.6.2): the entry is fresh again for the new Max-Age.</summary>
    public void Refresh(CacheEntry entry, CoapMessage valid)
    {
        lock (_gate)
        {
            entry.StoredAt = _time.GetTimestamp();
            entry.MaxAge = valid.MaxAge ?? DefaultMaxAge;
        }
    }

    /// <summary>An unsafe method went to the URI: every entry of it is dropped (RFC 7252 §5.6).</summary>
    public void Invalidate(string uri)
    {
        lock (_gate)
        {
            if (!_byUri.TryGetValue(uri, out var ofUri))
            {
                return;
            }

            foreach (var entry in ofUri.ToArray())
            {
                if (_entries.TryGetValue(entry.Key, out var node))
                {
                    RemoveLocked(node);
                }
            }
        }
    }

    public void Dispose() => _meter.Dispose();

    private static bool HasKeyOptions(CoapMessage request)
    {
        foreach (var option in request.Options)
        {
            if (PartOfKey(option.Number))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PartOfKey(ushort number) => !OptionNumber.IsNoCacheKey(number) && number is not (
        OptionNumber.MaxAge or OptionNumber.ETag or OptionNumber.UriHost or OptionNumber.UriPort or OptionNumber.UriPath
        or OptionNumber.UriQuery or OptionNumber.ProxyUri or OptionNumber.ProxyScheme or OptionNumber.Observe
        or OptionNumber.Block1 or OptionNumber.Block2 or OptionNumber.Size1 or OptionNumber.Size2 or OptionNumber.HopLimit);

    /// <summary>Callers hold the lock.</summary>
    private void RemoveLocked(LinkedListNode<CacheEntry> node)
    {
        var entry = node.Value;
        _recent.Remove(node);
        _entries.Remove(entry.Key);
        _bytes -= entry.Size;
        if (_byUri.TryGetValue(entry.Uri, out var ofUri))
        {
            ofUri.Remove(entry);
            if (ofUri.Count == 0)
            {
                _byUri.Remove(entry.Uri);
            }
        }
    }
}

using System.Collections.Concurrent;
using Services.FileServer.Client;

namespace Coap.Cli.Mount;

/// <summary>
/// Directory listings (the CBOR ones, with size, mtime and ETag per entry) by path, each kept for its Max-Age but no
/// longer than the mount's cache timeout. The file system drops a directory's listing when it changes the directory
/// itself, and the whole cache when the server notifies (Observe) that something changed.
/// </summary>
internal sealed class ListingCache
{
    private readonly ConcurrentDictionary<string, CachedListing> _listings = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private long _generation;

    public ListingCache(TimeSpan timeout, TimeProvider time)
    {
        _timeout = timeout;
        _time = time;
    }

    /// <summary>The directory's entries by name, from the cache while fresh, else from <paramref name="fetch"/>.</summary>
    public Dictionary<string, RemoteEntry> Get(string directory, Func<RemoteListing> fetch)
    {
        var now = _time.GetTimestamp();
        if (_listings.TryGetValue(directory, out var cached) && _time.GetElapsedTime(cached.Fetched, now) < cached.Lifetime)
        {
            return cached.Entries;
        }

        var generation = Interlocked.Read(ref _generation);
        var listing = fetch();
        var entries = new Dictionary<string, RemoteEntry>(listing.Entries.Count, StringComparer.Ordinal);
        foreach (var entry in listing.Entries)
        {
            entries[entry.Name] = entry;
        }

        if (Interlocked.Read(ref _generation) == generation)
        {
            _listings[directory] = new CachedListing(entries, now, listing.MaxAge < _timeout ? listing.MaxAge : _timeout);
        }

        return entries;
    }

    /// <summary>Forgets one directory, and keeps a fetch already under way from storing what it read before the change.</summary>
    public void Invalidate(string directory)
    {
        Interlocked.Increment(ref _generation);
        _listings.TryRemove(directory, out _);
    }

    /// <summary>Forgets everything, including listings being fetched right now.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _listings.Clear();
    }

    private sealed record CachedListing(Dictionary<string, RemoteEntry> Entries, long Fetched, TimeSpan Lifetime);
}

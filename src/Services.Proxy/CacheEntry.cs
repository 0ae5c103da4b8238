using Coap.Engine.Protocol;

namespace Services.Proxy;

/// <summary>One cached 2.05 (RFC 7252 §5.6): the response for the client, when it was stored, and for how long it is fresh.</summary>
internal sealed class CacheEntry
{
    public CacheEntry(string key, string uri, CoapMessage response, long storedAt)
    {
        Key = key;
        Uri = uri;
        Response = response;
        StoredAt = storedAt;
        MaxAge = response.MaxAge ?? ProxyCache.DefaultMaxAge;
        ETag = response.Options.TryGet(OptionNumber.ETag, out var etag) ? etag.Value : ReadOnlyMemory<byte>.Empty;
        var size = 128L + (key.Length * 2) + response.Payload.Length;
        foreach (var option in response.Options)
        {
            size += 8 + option.Value.Length;
        }

        Size = size;
    }

    public string Key { get; }

    /// <summary>The upstream URI: unsafe methods on it invalidate every entry of it (RFC 7252 §5.6).</summary>
    public string Uri { get; }

    /// <summary>The response as first stored; never sent itself (the engine fills in a message), only copied.</summary>
    public CoapMessage Response { get; }

    /// <summary>The timestamp of storing or of the last 2.03 that refreshed it.</summary>
    public long StoredAt { get; set; }

    public uint MaxAge { get; set; }

    public ReadOnlyMemory<byte> ETag { get; }

    public long Size { get; }
}

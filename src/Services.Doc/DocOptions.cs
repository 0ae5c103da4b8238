namespace Services.Doc;

/// <summary>The DNS over CoAP service's settings, bound from "Modules:Doc".</summary>
public sealed class DocOptions
{
    public const string SectionName = "Modules:Doc";

    /// <summary>The resource's path (RFC 9953 §3: discovered through rt="core.dns").</summary>
    public string Path { get; set; } = "dns";

    /// <summary>Upstream DNS servers as "address" or "address:port" ("[v6]:port"); empty takes the nameservers of /etc/resolv.conf.</summary>
    public List<string> Upstreams { get; set; } = [];

    /// <summary>Accept POST with an application/dns-message body besides FETCH.</summary>
    public bool AllowPost { get; set; } = true;

    /// <summary>Accept GET with the query in "?dns=" (unpadded base64url, as RFC 8484 §4.1) besides FETCH.</summary>
    public bool AllowGet { get; set; } = true;

    /// <summary>How long one upstream is given to answer one attempt (UDP, and TCP after a truncated answer).</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Rounds over the upstream list before answering SERVFAIL.</summary>
    public int UpstreamAttempts { get; set; } = 2;

    /// <summary>Upstream queries in flight at once; more wait for a slot (within the timeout) or get SERVFAIL.</summary>
    public int MaxInFlight { get; set; } = 256;

    /// <summary>Max-Age in seconds of a negative answer without any record (with records the smallest TTL rules, and an SOA's MINIMUM caps it, RFC 2308 §5).</summary>
    public uint NegativeMaxAge { get; set; } = 60;

    /// <summary>
    /// Where answers are cached besides this host's memory: "Memory" (the default: only there) or "Redis" (also in the
    /// Redis server of <see cref="DocRedisOptions.Configuration"/>, with their Max-Age as TTL, so that every host on it
    /// answers from the others' lookups).
    /// </summary>
    public string Cache { get; set; } = MemoryCache;

    public const string MemoryCache = "Memory";

    public const string RedisCache = "Redis";

    /// <summary>The shared cache's settings, "Modules:Doc:Redis"; read only with Cache = Redis.</summary>
    public DocRedisOptions Redis { get; set; } = new();

    /// <summary>True when <see cref="Cache"/> is "Redis" (any letter case).</summary>
    public bool SharesCache => string.Equals(Cache, RedisCache, StringComparison.OrdinalIgnoreCase);

    /// <summary>Answers kept in the cache at most; 0 turns caching off.</summary>
    public int CacheEntries { get; set; } = 10_000;

    /// <summary>The bytes the cached answers (with their keys and bookkeeping) may hold together; an answer that does not fit is not cached.</summary>
    public long CacheBytes { get; set; } = 16 * 1024 * 1024;
}

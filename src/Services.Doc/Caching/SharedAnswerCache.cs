using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Services.Doc.Caching;

/// <summary>
/// With Modules:Doc:Cache = Redis, answers are also kept in Redis under "{KeyPrefix}{query key}" with their Max-Age as
/// the key's TTL, so a host that has not looked a name up answers from another host's lookup, its Max-Age what is
/// left of the TTL (the body's TTLs are relative to Max-Age, RFC 9953 §4.3.1, so Max-Age + TTL still counts down from
/// the upstream's). It is only a cache: when Redis is unreachable (commands fail at once, no backlog) the lookup goes
/// upstream as without it, and the loss is logged once until Redis answers again. Without Cache = Redis it does
/// nothing and connects to nothing.
/// </summary>
internal sealed partial class SharedAnswerCache : IDisposable
{
    private readonly ConnectionMultiplexer? _redis;
    private readonly string _prefix;
    private readonly long _largest;
    private readonly ILogger _logger;
    private int _unavailable;

    public SharedAnswerCache(IOptions<DocOptions> options, ILogger<SharedAnswerCache> logger)
    {
        _logger = logger;
        _prefix = options.Value.Redis.KeyPrefix;
        _largest = options.Value.CacheBytes;
        if (options.Value.SharesCache && options.Value.CacheEntries > 0)
        {
            var configuration = ConfigurationOptions.Parse(options.Value.Redis.Configuration);
            configuration.AbortOnConnectFail = false;
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            _redis = ConnectionMultiplexer.Connect(configuration);
        }
    }

    /// <summary>Another host's answer to this query with the Max-Age left of it; null when there is none (or no Redis).</summary>
    public async ValueTask<(byte[] Body, uint MaxAge)?> TryGetAsync(string key)
    {
        if (_redis is null)
        {
            return null;
        }

        try
        {
            var hit = await _redis.GetDatabase().StringGetWithExpiryAsync(_prefix + key).ConfigureAwait(false);
            Interlocked.Exchange(ref _unavailable, 0);
            return !hit.Value.IsNull && hit.Expiry is { } left && left.TotalSeconds >= 1 ? ((byte[])hit.Value!, (uint)left.TotalSeconds) : null;
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            Unavailable(error);
            return null;
        }
    }

    /// <summary>Shares an answer for <paramref name="maxAge"/> seconds; failures are logged, never thrown.</summary>
    public async Task AddAsync(string key, byte[] body, uint maxAge)
    {
        if (_redis is null || maxAge == 0 || body.Length > _largest)
        {
            return;
        }

        try
        {
            await _redis.GetDatabase().StringSetAsync(_prefix + key, body, TimeSpan.FromSeconds(maxAge)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RedisException or TimeoutException)
        {
            Unavailable(error);
        }
    }

    private void Unavailable(Exception error)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            LogUnavailable(error);
        }
    }

    public void Dispose() => _redis?.Dispose();

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "The shared DNS answer cache (Redis) is unreachable; answers come from this host's cache and the upstreams until it is back")]
    private partial void LogUnavailable(Exception error);
}

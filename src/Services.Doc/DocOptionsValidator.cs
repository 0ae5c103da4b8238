using Coap.Engine.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Services.Doc.Upstream;

namespace Services.Doc;

/// <summary>Checks "Modules:Doc" at start-up and names each bad key.</summary>
internal sealed class DocOptionsValidator : IValidateOptions<DocOptions>
{
    public ValidateOptionsResult Validate(string? name, DocOptions options)
    {
        var failures = new List<string>();
        if (ModulePath.Check($"{DocOptions.SectionName}:Path", options.Path) is { } path)
        {
            failures.Add(path);
        }

        for (var i = 0; i < options.Upstreams.Count; i++)
        {
            if (!UpstreamServers.TryParse(options.Upstreams[i], out _))
            {
                failures.Add($"{DocOptions.SectionName}:Upstreams:{i} must be an IP address with an optional port, as 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53 (got '{options.Upstreams[i]}').");
            }
        }

        if (options.UpstreamTimeout < TimeSpan.FromMilliseconds(10) || options.UpstreamTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{DocOptions.SectionName}:UpstreamTimeout must be between 10 ms and 1 minute (got {options.UpstreamTimeout}).");
        }

        if (options.UpstreamAttempts is < 1 or > 10)
        {
            failures.Add($"{DocOptions.SectionName}:UpstreamAttempts must be between 1 and 10 (got {options.UpstreamAttempts}).");
        }

        if (options.MaxInFlight < 1)
        {
            failures.Add($"{DocOptions.SectionName}:MaxInFlight must be at least 1 (got {options.MaxInFlight}).");
        }

        if (options.NegativeMaxAge > 86_400)
        {
            failures.Add($"{DocOptions.SectionName}:NegativeMaxAge must be at most 86400 seconds (got {options.NegativeMaxAge}).");
        }

        if (options.CacheEntries < 0)
        {
            failures.Add($"{DocOptions.SectionName}:CacheEntries must not be negative (got {options.CacheEntries}).");
        }

        if (options.CacheBytes < 0)
        {
            failures.Add($"{DocOptions.SectionName}:CacheBytes must not be negative (got {options.CacheBytes}).");
        }

        ValidateCache(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateCache(DocOptions options, List<string> failures)
    {
        if (!string.Equals(options.Cache, DocOptions.MemoryCache, StringComparison.OrdinalIgnoreCase) && !options.SharesCache)
        {
            failures.Add($"{DocOptions.SectionName}:Cache must be Memory or Redis (got '{options.Cache}').");
            return;
        }

        if (!options.SharesCache)
        {
            return;
        }

        var redis = options.Redis ?? new DocRedisOptions();
        try
        {
            if (string.IsNullOrWhiteSpace(redis.Configuration) || ConfigurationOptions.Parse(redis.Configuration).EndPoints.Count == 0)
            {
                failures.Add($"{DocOptions.SectionName}:Redis:Configuration must name the Redis server (\"host:port,...\") when Cache is Redis (got '{redis.Configuration}').");
            }
        }
        catch (ArgumentException error)
        {
            failures.Add($"{DocOptions.SectionName}:Redis:Configuration is not a StackExchange.Redis configuration string: {error.Message}");
        }

        if (string.IsNullOrEmpty(redis.KeyPrefix) || redis.KeyPrefix.Length > 200 || redis.KeyPrefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add($"{DocOptions.SectionName}:Redis:KeyPrefix must be 1 to 200 characters without spaces (got '{redis.KeyPrefix}').");
        }
    }
}

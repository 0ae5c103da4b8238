using Coap.Engine.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Services.PubSub;

/// <summary>Checks "Modules:PubSub" at start-up and names each bad key.</summary>
internal sealed class PubSubOptionsValidator : IValidateOptions<PubSubOptions>
{
    public ValidateOptionsResult Validate(string? name, PubSubOptions options)
    {
        var failures = new List<string>();
        if (ModulePath.Check($"{PubSubOptions.SectionName}:Path", options.Path) is { } path)
        {
            failures.Add(path);
        }

        if (options.ContentFormat is < 0 or > ushort.MaxValue or Coap.Engine.Protocol.ContentFormat.Cbor or Coap.Engine.Protocol.ContentFormat.LinkFormat)
        {
            failures.Add($"{PubSubOptions.SectionName}:ContentFormat must be a Content-Format number other than 40 and 60 (got {options.ContentFormat}).");
        }

        if (options.StateDirectory is null || (options.StateDirectory.Length > 0 && File.Exists(options.StateDirectory)))
        {
            failures.Add($"{PubSubOptions.SectionName}:StateDirectory must be a directory, or empty to keep state in memory (got '{options.StateDirectory}').");
        }

        if (options.AdminGroup is null || options.AdminGroup.Any(char.IsWhiteSpace) || options.AdminGroup.Contains(',') || options.AdminGroup.StartsWith('@'))
        {
            failures.Add($"{PubSubOptions.SectionName}:AdminGroup must be a group name of Access:Groups without '@', spaces or commas, or empty for none (got '{options.AdminGroup}').");
        }

        if (options.MaxTopics <= 0)
        {
            failures.Add($"{PubSubOptions.SectionName}:MaxTopics must be a positive number (got {options.MaxTopics}).");
        }

        if (options.MaxPayloadBytes <= 0)
        {
            failures.Add($"{PubSubOptions.SectionName}:MaxPayloadBytes must be a positive number of bytes (got {options.MaxPayloadBytes}).");
        }

        if (options.MaxSubscribers <= 0)
        {
            failures.Add($"{PubSubOptions.SectionName}:MaxSubscribers must be a positive number (got {options.MaxSubscribers}).");
        }

        if (options.MinPublishInterval < TimeSpan.Zero)
        {
            failures.Add($"{PubSubOptions.SectionName}:MinPublishInterval must not be negative (got {options.MinPublishInterval}).");
        }

        ValidateStore(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateStore(PubSubOptions options, List<string> failures)
    {
        if (!string.Equals(options.Store, PubSubOptions.FileStore, StringComparison.OrdinalIgnoreCase) && !options.UsesRedis)
        {
            failures.Add($"{PubSubOptions.SectionName}:Store must be File or Redis (got '{options.Store}').");
            return;
        }

        if (!options.UsesRedis)
        {
            return;
        }

        var redis = options.Redis ?? new PubSubRedisOptions();
        if (string.IsNullOrWhiteSpace(redis.Configuration))
        {
            failures.Add($"{PubSubOptions.SectionName}:Redis:Configuration must name the Redis server (\"host:port,...\") when Store is Redis.");
        }
        else
        {
            try
            {
                if (ConfigurationOptions.Parse(redis.Configuration).EndPoints.Count == 0)
                {
                    failures.Add($"{PubSubOptions.SectionName}:Redis:Configuration names no Redis endpoint (got '{redis.Configuration}').");
                }
            }
            catch (ArgumentException error)
            {
                failures.Add($"{PubSubOptions.SectionName}:Redis:Configuration is not a StackExchange.Redis configuration string: {error.Message}");
            }
        }

        if (string.IsNullOrEmpty(redis.KeyPrefix) || redis.KeyPrefix.Length > 200 || redis.KeyPrefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add($"{PubSubOptions.SectionName}:Redis:KeyPrefix must be 1 to 200 characters without spaces (got '{redis.KeyPrefix}').");
        }
    }
}

using System.Globalization;
using Coap.Cli.Commands;

namespace Coap.Cli.Mount;

/// <summary>
/// The -o options of <c>coap mount</c>, comma-separated as for mount(8): <c>ro</c>, <c>rw</c> (the default) and
/// <c>cache_timeout=SECONDS</c> (how long a directory listing is reused at most, default 2; Max-Age may make it shorter).
/// </summary>
internal sealed record MountOptions(bool ReadOnly, TimeSpan CacheTimeout)
{
    public static readonly TimeSpan DefaultCacheTimeout = TimeSpan.FromSeconds(2);

    public static MountOptions Parse(IEnumerable<string> values)
    {
        var options = new MountOptions(false, DefaultCacheTimeout);
        foreach (var option in values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            options = option switch
            {
                "ro" => options with { ReadOnly = true },
                "rw" => options with { ReadOnly = false },
                _ when option.StartsWith("cache_timeout=", StringComparison.Ordinal) => options with { CacheTimeout = Seconds(option["cache_timeout=".Length..]) },
                _ => throw new UsageException($"unknown mount option '{option}': give ro, rw or cache_timeout=SECONDS"),
            };
        }

        return options;
    }

    private static TimeSpan Seconds(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"invalid cache_timeout '{text}': give seconds, 0 to 86400");
}

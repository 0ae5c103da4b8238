using Coap.Engine.Client;
using Coap.Engine.Hosting;
using Microsoft.Extensions.Options;

namespace Services.Proxy;

/// <summary>Checks "Modules:Proxy" at start-up and names each bad key.</summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        const string S = ProxyOptions.SectionName;
        var failures = new List<string>();
        if (ModulePath.Check($"{S}:Path", options.Path) is { } path)
        {
            failures.Add(path);
        }

        foreach (var (route, uri) in options.Routes)
        {
            if (route.Length == 0 || route.Contains('/', StringComparison.Ordinal))
            {
                failures.Add($"{S}:Routes:{route} must be one path segment.");
            }

            if (!CoapUri.TryParse(uri, out var parsed, out var error))
            {
                failures.Add($"{S}:Routes:{route} must be a coap:// or coaps:// URI ({error}).");
            }
            else if (parsed.QueryParts.Count > 0)
            {
                failures.Add($"{S}:Routes:{route} must be a coap:// or coaps:// URI without a query (got '{uri}').");
            }
            else if (parsed.IsSecure && (!options.Upstreams.TryGetValue(route, out var own) || string.IsNullOrEmpty(own.PskFile)))
            {
                failures.Add($"{S}:Routes:{route} is coaps://: give the proxy's PSK identity and key in {S}:Upstreams:{route}:PskFile.");
            }
        }

        foreach (var (upstream, own) in options.Upstreams)
        {
            CheckUpstream(failures, $"{S}:Upstreams:{upstream}", upstream, own, options.Routes);
        }

        if (options.HopLimit is < 1 or > 255)
        {
            failures.Add($"{S}:HopLimit must be between 1 and 255 (got {options.HopLimit}).");
        }

        if (options.MaxInFlightPerUpstream is < 1 or > 1024)
        {
            failures.Add($"{S}:MaxInFlightPerUpstream must be between 1 and 1024 (got {options.MaxInFlightPerUpstream}).");
        }

        if (options.QueuePerUpstream is < 0 or > 10_000)
        {
            failures.Add($"{S}:QueuePerUpstream must be between 0 and 10000 (got {options.QueuePerUpstream}).");
        }

        if (options.BusyMaxAge < TimeSpan.Zero || options.BusyMaxAge > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:BusyMaxAge must be between 0 and 1 hour (got {options.BusyMaxAge}).");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(100) || options.Timeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:Timeout must be between 100 ms and 1 hour (got {options.Timeout}).");
        }

        if (options.AckTimeout < TimeSpan.FromMilliseconds(10) || options.AckTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{S}:AckTimeout must be between 10 ms and 5 minutes (got {options.AckTimeout}).");
        }

        if (options.MaxRetransmit is < 0 or > 10)
        {
            failures.Add($"{S}:MaxRetransmit must be between 0 and 10 (got {options.MaxRetransmit}).");
        }

        if (options.CacheBytes is < 0 or > 1L << 34)
        {
            failures.Add($"{S}:CacheBytes must be between 0 and 16 GiB (got {options.CacheBytes}).");
        }

        if (options.TransferBytes is < 0 or > 1L << 34)
        {
            failures.Add($"{S}:TransferBytes must be between 0 and 16 GiB (got {options.TransferBytes}).");
        }

        if (options.TransferLifetime < TimeSpan.FromSeconds(1) || options.TransferLifetime > TimeSpan.FromHours(1))
        {
            failures.Add($"{S}:TransferLifetime must be between 1 second and 1 hour (got {options.TransferLifetime}).");
        }

        if (options.MaxBodySize is < 1024 or > 1L << 30)
        {
            failures.Add($"{S}:MaxBodySize must be between 1024 bytes and 1 GiB (got {options.MaxBodySize}).");
        }

        if (options.MaxObservations is < 0 or > 100_000)
        {
            failures.Add($"{S}:MaxObservations must be between 0 and 100000 (got {options.MaxObservations}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUpstream(List<string> failures, string key, string name, UpstreamOptions own, Dictionary<string, string> routes)
    {
        CoapUri? upstream = null;
        if (own.Uri is null)
        {
            if (!routes.TryGetValue(name, out var route))
            {
                failures.Add($"{key} names no route: give {key}:Uri (coap://host:port or coaps://host:port) or use a route's name.");
            }
            else
            {
                CoapUri.TryParse(route, out upstream, out _);
            }
        }
        else if (!CoapUri.TryParse(own.Uri, out upstream, out var error))
        {
            failures.Add($"{key}:Uri must be a coap:// or coaps:// URI (got '{own.Uri}': {error}).");
        }

        if (upstream is { IsSecure: true } && string.IsNullOrEmpty(own.PskFile))
        {
            failures.Add($"{key} is coaps://: give the proxy's PSK identity and key in {key}:PskFile.");
        }
        else if (upstream is { IsSecure: false } && !string.IsNullOrEmpty(own.PskFile))
        {
            failures.Add($"{key}:PskFile is for a coaps:// upstream; {upstream} is coap://.");
        }

        if (own.Timeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(100) || timeout > TimeSpan.FromHours(1)))
        {
            failures.Add($"{key}:Timeout must be between 100 ms and 1 hour (got {timeout}).");
        }

        if (own.AckTimeout is { } ackTimeout && (ackTimeout < TimeSpan.FromMilliseconds(10) || ackTimeout > TimeSpan.FromMinutes(5)))
        {
            failures.Add($"{key}:AckTimeout must be between 10 ms and 5 minutes (got {ackTimeout}).");
        }

        if (own.MaxRetransmit is < 0 or > 10)
        {
            failures.Add($"{key}:MaxRetransmit must be between 0 and 10 (got {own.MaxRetransmit}).");
        }

        if (own.MaxInFlight is < 1 or > 1024)
        {
            failures.Add($"{key}:MaxInFlight must be between 1 and 1024 (got {own.MaxInFlight}).");
        }
    }
}

using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Services.Proxy;

/// <summary>
/// The CoAP-to-CoAP proxy (RFC 7252 §5.7, RFC 7641 §5, RFC 8768): forward (Proxy-Uri, Proxy-Scheme) and reverse
/// ("/{Path}/{route}/…" to "Modules:Proxy:Routes:{route}"), with a Max-Age cache and aggregated observations.
/// Off unless "Modules:Proxy:Enabled" is true.
/// </summary>
public sealed class ProxyModule : ICoapModule
{
    public string Name => "Proxy";

    public bool EnabledByDefault => false;

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
        services.AddCoapOptions<ProxyOptions, ProxyOptionsValidator>(section);
        services.TryAddSingleton(provider => new Upstreams(
            provider.GetRequiredService<IOptions<ProxyOptions>>().Value, provider.GetRequiredService<ILogger<Upstreams>>()));
        services.TryAddSingleton(provider => new ProxyCache(
            provider.GetRequiredService<IOptions<ProxyOptions>>().Value.CacheBytes, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<ProxyCache>>()));
        services.TryAddSingleton(provider => new ObservationPool(
            provider.GetRequiredService<IOptions<ProxyOptions>>().Value.MaxObservations, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<ObservationPool>>()));
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ProxyOptions>>().Value;
            return new TransferBodies(options.TransferBytes, options.TransferLifetime, provider.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<ProxyResource>();
    }

    public void MapResources(IResourceMapper map)
    {
        var options = map.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        var resource = map.Services.GetRequiredService<ProxyResource>();
        if (options.Routes.Count > 0)
        {
            map.Map($"{options.Path.Trim('/')}/{{{ProxyResource.RouteName}}}/{{**{ProxyResource.RestName}}}", resource, ProxyResource.Metadata);
        }

        if (options.Forward)
        {
            map.MapForwardProxy(resource, ProxyResource.Metadata);
        }
    }
}

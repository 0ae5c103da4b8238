using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Services.Time;

/// <summary>The CBOR time service: devices sync their clocks against it (GET, or observe for a tick every NotifyInterval).</summary>
public sealed class TimeModule : ICoapModule
{
    public string Name => "Time";

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
        services.AddCoapOptions<TimeOptions, TimeOptionsValidator>(section);
        services.TryAddSingleton<TimeResource>();
    }

    public void MapResources(IResourceMapper map)
    {
        var options = map.Services.GetRequiredService<IOptions<TimeOptions>>().Value;
        var resource = map.Services.GetRequiredService<TimeResource>();
        map.Map(options.Path, resource, resource.Metadata);
    }
}

using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SamplePlugin;

/// <summary>A third-party module as a plug-in author writes one: loaded from Plugins:Directory by the host.</summary>
public sealed class SampleModule : ICoapModule
{
    public string Name => "Sample";

    public void ConfigureServices(IServiceCollection services, IConfiguration section) =>
        services.AddSingleton(new GreetingResource(section["Greeting"] ?? "hello from a plug-in"));

    public void MapResources(IResourceMapper map) =>
        map.Map("sample", map.Services.GetRequiredService<GreetingResource>(), new ResourceMetadata { ResourceTypes = ["sample.greeting"], ContentFormats = [0] });
}

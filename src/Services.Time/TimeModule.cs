using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Services.Time;

/// <summary>The CBOR time service; its resources come with the time service issue.</summary>
public sealed class TimeModule : ICoapModule
{
    public string Name => "Time";

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
    }

    public void MapResources(IResourceMapper map)
    {
    }
}

using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Services.PubSub;

/// <summary>The publish-subscribe broker; its resources come with the pub-sub issue.</summary>
public sealed class PubSubModule : ICoapModule
{
    public string Name => "PubSub";

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
    }

    public void MapResources(IResourceMapper map)
    {
    }
}

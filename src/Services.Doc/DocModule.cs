using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Services.Doc;

/// <summary>DNS over CoAP (RFC 9953); its resources come with the DoC issue.</summary>
public sealed class DocModule : ICoapModule
{
    public string Name => "Doc";

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
    }

    public void MapResources(IResourceMapper map)
    {
    }
}

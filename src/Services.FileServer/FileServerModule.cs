using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Services.FileServer;

/// <summary>The WebDAV-like file service; its resources come with the file service issue.</summary>
public sealed class FileServerModule : ICoapModule
{
    public string Name => "FileServer";

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
    }

    public void MapResources(IResourceMapper map)
    {
    }
}

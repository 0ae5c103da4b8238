using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Services.Terminal;

/// <summary>The observable terminal; disabled by default, its resources come with the terminal issue.</summary>
public sealed class TerminalModule : ICoapModule
{
    public string Name => "Terminal";

    public bool EnabledByDefault => false;

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
    }

    public void MapResources(IResourceMapper map)
    {
    }
}

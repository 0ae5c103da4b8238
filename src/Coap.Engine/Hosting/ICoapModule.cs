using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coap.Engine.Hosting;

/// <summary>
/// A service module: one per Services.* project or plug-in. The host calls <see cref="ConfigureServices"/> while
/// building and <see cref="MapResources"/> when the engine starts.
/// </summary>
public interface ICoapModule
{
    /// <summary>The module's name; its settings live under "Modules:{Name}".</summary>
    string Name { get; }

    /// <summary>The key under the module's section that switches it on or off; the host reads it, the module never sees it.</summary>
    public const string SwitchKey = "Enabled";

    /// <summary>Whether the module runs when "Modules:{Name}:Enabled" is not set.</summary>
    bool EnabledByDefault => true;

    /// <summary>Registers the module's services and binds its options from its configuration section.</summary>
    void ConfigureServices(IServiceCollection services, IConfiguration section);

    /// <summary>Puts the module's resources on the engine's resource tree.</summary>
    void MapResources(IResourceMapper map);
}

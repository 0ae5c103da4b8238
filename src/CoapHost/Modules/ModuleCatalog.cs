using Coap.Engine.Hosting;
using CoapHost.Plugins;
using Microsoft.Extensions.Configuration;
using Services.Doc;
using Services.FileServer;
using Services.Proxy;
using Services.PubSub;
using Services.Terminal;
using Services.Time;

namespace CoapHost.Modules;

/// <summary>
/// The modules this host knows: the built-in ones and those loaded from "Plugins:Directory". Each is switched by
/// "Modules:{Name}:Enabled"; a section under "Modules" that names no known module stops start-up.
/// </summary>
internal sealed class ModuleCatalog
{
    public const string SectionName = "Modules";

    private ModuleCatalog(IReadOnlyList<ICoapModule> all, IReadOnlyList<ICoapModule> enabled)
    {
        All = all;
        Enabled = enabled;
    }

    public IReadOnlyList<ICoapModule> All { get; }

    public IReadOnlyList<ICoapModule> Enabled { get; }

    public static IReadOnlyList<ICoapModule> BuiltIn() =>
        [new FileServerModule(), new TimeModule(), new DocModule(), new PubSubModule(), new TerminalModule(), new ProxyModule()];

    public static ModuleCatalog Load(IConfiguration configuration, string contentRoot)
    {
        var all = new List<ICoapModule>(BuiltIn());
        all.AddRange(PluginLoader.LoadModules(configuration, contentRoot));
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var module in all)
        {
            if (!names.Add(module.Name))
            {
                throw new CoapConfigurationException($"Two modules are named '{module.Name}'; plug-in modules need names of their own.");
            }
        }

        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            if (!names.Contains(section.Key))
            {
                throw new CoapConfigurationException(
                    $"{SectionName}:{section.Key} names no known module (known: {string.Join(", ", names.Order(StringComparer.Ordinal))}).");
            }
        }

        var enabled = new List<ICoapModule>();
        foreach (var module in all)
        {
            if (IsEnabled(configuration, module))
            {
                enabled.Add(module);
            }
        }

        return new ModuleCatalog(all, enabled);
    }

    private static bool IsEnabled(IConfiguration configuration, ICoapModule module)
    {
        var key = $"{SectionName}:{module.Name}:{ICoapModule.SwitchKey}";
        var value = configuration[key];
        if (value is null)
        {
            return module.EnabledByDefault;
        }

        return bool.TryParse(value, out var enabled)
            ? enabled
            : throw new CoapConfigurationException($"{key} must be true or false (got '{value}').");
    }
}

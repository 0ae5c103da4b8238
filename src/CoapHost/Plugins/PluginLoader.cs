using System.Reflection;
using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;

namespace CoapHost.Plugins;

/// <summary>
/// Loads third-party modules from "Plugins:Directory": each "*.dll" in the folder, and each "NAME/NAME.dll" in a
/// sub-folder, gets its own <see cref="PluginLoadContext"/>; every public <see cref="ICoapModule"/> with a
/// parameterless constructor in it becomes a module.
/// </summary>
internal static class PluginLoader
{
    public const string DirectoryKey = "Plugins:Directory";

    public static IReadOnlyList<ICoapModule> LoadModules(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[DirectoryKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return [];
        }

        var directory = Path.GetFullPath(configured, contentRoot);
        if (!Directory.Exists(directory))
        {
            throw new CoapConfigurationException($"{DirectoryKey} '{configured}' is not a directory.");
        }

        var modules = new List<ICoapModule>();
        foreach (var path in Candidates(directory))
        {
            modules.AddRange(LoadAssembly(path));
        }

        return modules;
    }

    private static IEnumerable<string> Candidates(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
        {
            yield return file;
        }

        foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
            if (File.Exists(file))
            {
                yield return file;
            }
        }
    }

    private static List<ICoapModule> LoadAssembly(string path)
    {
        Assembly assembly;
        try
        {
            if (PluginLoadContext.IsShared(AssemblyName.GetAssemblyName(path)))
            {
                return [];
            }

            assembly = new PluginLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (Exception error) when (error is BadImageFormatException or FileLoadException)
        {
            throw new CoapConfigurationException($"{DirectoryKey}: '{path}' is not a loadable .NET assembly: {error.Message}", error);
        }

        var modules = new List<ICoapModule>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type is { IsAbstract: false, IsInterface: false } && typeof(ICoapModule).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null)
            {
                modules.Add((ICoapModule)Activator.CreateInstance(type)!);
            }
        }

        return modules;
    }
}

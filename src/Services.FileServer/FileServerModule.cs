using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Services.FileServer.FileSystem;

namespace Services.FileServer;

/// <summary>
/// The WebDAV-like file service: GET, PUT and DELETE files and directories below "Modules:FileServer:Root", mounted at
/// "Modules:FileServer:Path" ("files/{**path}").
/// </summary>
public sealed class FileServerModule : ICoapModule
{
    public string Name => "FileServer";

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
        services.AddCoapOptions<FileServerOptions, FileServerOptionsValidator>(section);
        services.TryAddSingleton<IDirectorySync, DiskDirectorySync>();
        services.TryAddSingleton<FileResource>();
    }

    public void MapResources(IResourceMapper map)
    {
        var options = map.Services.GetRequiredService<IOptions<FileServerOptions>>().Value;
        var resource = map.Services.GetRequiredService<FileResource>();
        map.Map(Template(options.Path), resource, resource.Metadata);
    }

    /// <summary>The route: "{mount}/{**path}", or "{**path}" when mounted at "/".</summary>
    internal static string Template(string path)
    {
        var mount = path.Trim('/');
        return mount.Length == 0 ? "{**path}" : mount + "/{**path}";
    }
}

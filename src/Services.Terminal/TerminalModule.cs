using System.Net;
using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Services.Terminal.Sessions;

namespace Services.Terminal;

/// <summary>
/// The observable terminal: programs on pseudo-terminals whose output is observed and whose input is POSTed, mounted
/// at "Modules:Terminal:Path" ("/term/"). Disabled by default; when enabled it serves loopback and
/// "Modules:Terminal:AllowedPeers" only, and warns at start when the server listens beyond loopback.
/// </summary>
public sealed partial class TerminalModule : ICoapModule
{
    public string Name => "Terminal";

    public bool EnabledByDefault => false;

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
        services.AddCoapOptions<TerminalOptions, TerminalOptionsValidator>(section);
        services.TryAddSingleton<TerminalSessions>();
        services.TryAddSingleton<TerminalResource>();
    }

    public void MapResources(IResourceMapper map)
    {
        var options = map.Services.GetRequiredService<IOptions<TerminalOptions>>().Value;
        var resource = map.Services.GetRequiredService<TerminalResource>();
        map.Map(options.Path.Trim('/') + "/{**path}", resource, resource.Metadata);
        if (map.Services.GetService<IOptions<CoapServerOptions>>()?.Value.Address is { } address && !IsLoopback(address))
        {
            var logger = map.Services.GetRequiredService<ILogger<TerminalModule>>();
            Log.ExposedTerminal(logger, address, string.Join(", ", options.AllowedPeers));
        }
    }

    private static bool IsLoopback(string address) => IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip);

    private static partial class Log
    {
        [LoggerMessage(800, LogLevel.Warning, "The terminal service is enabled while the server listens on {Address}: loopback peers and AllowedPeers [{AllowedPeers}] can run commands, without authentication")]
        public static partial void ExposedTerminal(ILogger logger, string address, string allowedPeers);
    }
}

using System.Globalization;
using Coap.Engine.Exchanges;
using Coap.Engine.Hosting;
using Coap.Engine.Oscore;
using Coap.Engine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coap.Testing;

/// <summary>
/// One module on a real UDP server on 127.0.0.1 and a free port, configured as the host would ("Modules:{Name}"
/// settings, /.well-known/core). The module's TimeProvider is <paramref name="time"/> (the system clock by default),
/// so a test can move the module's clock while the network runs in real time; the endpoint's clock (retransmission,
/// observer check) is <paramref name="engineTime"/>, so a test can also move that one while the sockets stay real;
/// with <paramref name="oscore"/>, the server has those OSCORE contexts.
/// Disposing stops the endpoint and then disposes the services, as the host does at shutdown.
/// </summary>
public sealed class UdpModuleServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public UdpModuleServer(ICoapModule module, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null, ILoggerProvider? logs = null, TimeProvider? engineTime = null, OscoreContextTable? oscore = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddLogging(builder =>
        {
            if (logs is not null)
            {
                builder.AddProvider(logs);
            }
        });
        module.ConfigureServices(services, configuration.GetSection($"Modules:{module.Name}"));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Tree = new ResourceTree();
        module.MapResources(new ResourceMapper(Tree, _services, module.Name));
        Tree.WithWellKnownCore();
        Endpoint = TestEndpoints.StartUdpServer(Tree, time: engineTime, oscore: oscore);
    }

    public IServiceProvider Services => _services;

    public ResourceTree Tree { get; }

    public CoapEndpoint Endpoint { get; }

    public int Port => Endpoint.LocalEndPoints[0].Port;

    /// <summary>"coap://127.0.0.1:{port}".</summary>
    public string BaseUri => $"coap://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"coap://127.0.0.1:{port}/{path}".</summary>
    public string Uri(string path) => $"coap://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{path.TrimStart('/')}";

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync().ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
    }
}

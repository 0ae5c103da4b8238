using Coap.Engine.Exchanges;
using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coap.Testing;

/// <summary>
/// One module on a real UDP server on 127.0.0.1 and a free port, configured as the host would ("Modules:{Name}"),
/// on the system clock: for modules whose work is real (processes, terminals) and for programs that speak UDP.
/// Disposing stops the endpoint and then disposes the services, as the host does at shutdown.
/// </summary>
public sealed class UdpModuleServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public UdpModuleServer(ICoapModule module, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        module.ConfigureServices(services, configuration.GetSection($"Modules:{module.Name}"));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var tree = new ResourceTree();
        module.MapResources(new ResourceMapper(tree, _services, module.Name));
        tree.WithWellKnownCore();
        Endpoint = TestEndpoints.StartUdpServer(tree);
    }

    public IServiceProvider Services => _services;

    public CoapEndpoint Endpoint { get; }

    public int Port => Endpoint.LocalEndPoints[0].Port;

    /// <summary>"coap://127.0.0.1:{port}".</summary>
    public string BaseUri => $"coap://127.0.0.1:{Port}";

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        await _services.DisposeAsync();
    }
}

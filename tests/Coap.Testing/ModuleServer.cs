using Coap.Engine.Exchanges;
using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coap.Testing;

/// <summary>
/// One module on a lockstep server, configured as the host would ("Modules:{Name}" settings, the engine's services),
/// with the fake clock registered as the TimeProvider; <c>configureServices</c> runs after the module's own registrations,
/// so a test can put a stand-in at a true seam (an upstream server, a process launcher).
/// </summary>
public sealed class ModuleServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public ModuleServer(ICoapModule module, IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? time = null, Action<IServiceCollection>? configureServices = null)
    {
        Time = time ?? new FakeTimeProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddLogging();
        module.ConfigureServices(services, configuration.GetSection($"Modules:{module.Name}"));
        configureServices?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Tree = new ResourceTree();
        module.MapResources(new ResourceMapper(Tree, _services, module.Name));
        Tree.WithWellKnownCore();
        (Endpoint, Transport) = TestEndpoints.StartServer(Tree, Time, loggers: Logs);
        Peer = new LockstepPeer(Transport);
    }

    public FakeTimeProvider Time { get; }

    /// <summary>What the engine logged (the module logs through its own services).</summary>
    public RecordingLogs Logs { get; } = new();

    public IServiceProvider Services => _services;

    public ResourceTree Tree { get; }

    public CoapEndpoint Endpoint { get; }

    public InMemoryTransport Transport { get; }

    public LockstepPeer Peer { get; }

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        await _services.DisposeAsync();
    }
}

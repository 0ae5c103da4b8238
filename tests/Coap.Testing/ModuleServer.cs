using Coap.Engine.Exchanges;
using Coap.Engine.Hosting;
using Coap.Engine.Messaging;
using Coap.Engine.Server;
using Coap.Engine.Server.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coap.Testing;

/// <summary>
/// Modules on a lockstep server, configured as the host would ("Modules:{Name}" settings, the engine's services, every
/// module on one resource tree with /.well-known/core), with the fake clock registered as the TimeProvider;
/// <c>configureServices</c> runs after the modules' own registrations, so a test can put a stand-in at a true seam (an
/// upstream server, a process launcher).
/// </summary>
public sealed class ModuleServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public ModuleServer(ICoapModule module, IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? time = null, Action<IServiceCollection>? configureServices = null)
        : this([module], settings, time, configureServices)
    {
    }

    /// <param name="options">The engine's settings (transmission parameters, block size, limits); the defaults when null.</param>
    /// <param name="accessPolicy">
    /// Whether requests pass the engine's access policy ("Access" settings) as on the hosted server; without it every
    /// request reaches the modules, as the tests of their own behaviour from any address want.
    /// </param>
    public ModuleServer(IReadOnlyList<ICoapModule> modules, IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? time = null, Action<IServiceCollection>? configureServices = null, CoapEndpointOptions? options = null, bool accessPolicy = false)
    {
        Time = time ?? new FakeTimeProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddLogging(builder => builder.AddProvider(Logs));
        services.AddCoapAccess(configuration.GetSection(AccessOptions.SectionName));
        foreach (var module in modules)
        {
            module.ConfigureServices(services, configuration.GetSection($"Modules:{module.Name}"));
        }

        configureServices?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Tree = new ResourceTree();
        foreach (var module in modules)
        {
            module.MapResources(new ResourceMapper(Tree, _services, module.Name));
        }

        var access = accessPolicy ? _services.GetRequiredService<AccessPolicy>() : null;
        Tree.WithWellKnownCore(access);
        (Endpoint, Transport) = TestEndpoints.StartServer(Tree, Time, options, loggers: Logs, access: access);
        Peer = new LockstepPeer(Transport);
    }

    public FakeTimeProvider Time { get; }

    /// <summary>What the engine and the modules logged.</summary>
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

using Coap.Engine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Coap.Engine.Hosting;

/// <summary>Registers the engine and modules with a generic host.</summary>
public static class CoapServiceCollectionExtensions
{
    /// <summary>
    /// Adds the CoAP server bound to <paramref name="coapSection"/> (normally "Coap"). Settings are validated at
    /// start; an unknown key or a bad value stops the host with a message naming the key.
    /// </summary>
    public static IServiceCollection AddCoapEngine(this IServiceCollection services, IConfiguration coapSection)
    {
        services.AddOptions<CoapServerOptions>()
            .Bind(coapSection, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CoapServerOptions>, CoapServerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ResourceTree>();
        services.TryAddSingleton<CoapServer>();
        services.AddHostedService(provider => provider.GetRequiredService<CoapServer>());
        return services;
    }

    /// <summary>Adds a module: its services now, its resources when the server starts.</summary>
    public static IServiceCollection AddCoapModule(this IServiceCollection services, ICoapModule module, IConfiguration moduleSection)
    {
        module.ConfigureServices(services, moduleSection);
        services.AddSingleton(module);
        return services;
    }
}

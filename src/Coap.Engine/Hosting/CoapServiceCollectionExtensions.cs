using Coap.Engine.Server;
using Coap.Engine.Server.Access;
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
        services.AddCoapOptions<CoapServerOptions, CoapServerOptionsValidator>(coapSection);
        services.TryAddSingleton<ResourceTree>();
        services.TryAddSingleton<CoapServer>();
        services.AddHostedService(provider => provider.GetRequiredService<CoapServer>());
        return services.AddCoapAccessPolicy();
    }

    /// <summary>
    /// Adds the access policy bound to <paramref name="accessSection"/> (normally "Access"), validated at start like
    /// the engine's settings. Without it the engine still judges requests, by the defaults (<see cref="AccessOptions"/>).
    /// </summary>
    public static IServiceCollection AddCoapAccess(this IServiceCollection services, IConfiguration accessSection)
    {
        services.AddCoapOptions<AccessOptions, AccessOptionsValidator>(accessSection);
        return services.AddCoapAccessPolicy();
    }

    /// <summary>
    /// Makes <see cref="AccessPolicy"/> available, with the default settings unless <see cref="AddCoapAccess"/> binds
    /// them; for modules that ask who a requester is (a topic's creator), whether or not the host added the engine.
    /// </summary>
    public static IServiceCollection AddCoapAccessPolicy(this IServiceCollection services)
    {
        services.AddOptions();
        services.TryAddSingleton<AccessPolicy>();
        return services;
    }

    /// <summary>
    /// Registers the settings of the engine or of a module, the way every one of them is read: bound from
    /// <paramref name="section"/> where every key must be a property (a misspelt key is an error, not a silent default)
    /// and every value of its type, then checked by <typeparamref name="TValidator"/> when the host starts. A bind
    /// failure is a <see cref="CoapConfigurationException"/> naming the key. Also registers the system clock unless a
    /// <see cref="TimeProvider"/> is already there.
    /// </summary>
    public static IServiceCollection AddCoapOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>()
            .Configure(options => BindStrictly(section, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Adds a module: its services now, its resources when the server starts. The module's section reaches it
    /// without <see cref="ICoapModule.SwitchKey"/>: whether it runs is the host's decision, so its options class has
    /// no such property.
    /// </summary>
    public static IServiceCollection AddCoapModule(this IServiceCollection services, ICoapModule module, IConfiguration moduleSection)
    {
        module.ConfigureServices(services, WithoutSwitch(moduleSection));
        services.AddSingleton(module);
        return services;
    }

    private static void BindStrictly(IConfiguration section, object options)
    {
        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException error)
        {
            // Inside a dictionary's value (Access:Rules:files) the binder says only that binding failed; the key it
            // could not bind is in the inner exception.
            var message = error.InnerException is InvalidOperationException inner ? $"{error.Message} {inner.Message}" : error.Message;
            throw new CoapConfigurationException(message, error);
        }
    }

    /// <summary>The section as it is, less its switch; keys keep their full paths, so errors still name them.</summary>
    private static IConfiguration WithoutSwitch(IConfiguration section)
    {
        if (section is not IConfigurationSection { } named || named[ICoapModule.SwitchKey] is null)
        {
            return section;
        }

        var switchPath = ConfigurationPath.Combine(named.Path, ICoapModule.SwitchKey);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in named.AsEnumerable())
        {
            if (value is not null && !string.Equals(key, switchPath, StringComparison.OrdinalIgnoreCase))
            {
                settings[key] = value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(named.Path);
    }
}

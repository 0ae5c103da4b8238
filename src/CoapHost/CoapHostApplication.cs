using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Coap.Engine.Server.Access;
using CoapHost.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoapHost;

/// <summary>Builds and runs the generic host: the engine bound to "Coap", its access policy to "Access", the enabled modules, graceful shutdown.</summary>
internal static class CoapHostApplication
{
    public const int ConfigurationError = 2;

    /// <summary>Builds the host; configuration errors found while building are thrown as <see cref="CoapConfigurationException"/>.</summary>
    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder.Configuration);
        builder.Services.AddCoapEngine(builder.Configuration.GetSection(CoapServerOptions.SectionName));
        builder.Services.AddCoapAccess(builder.Configuration.GetSection(AccessOptions.SectionName));
        var catalog = ModuleCatalog.Load(builder.Configuration, Environment.CurrentDirectory);
        foreach (var module in catalog.Enabled)
        {
            builder.Services.AddCoapModule(module, builder.Configuration.GetSection($"{ModuleCatalog.SectionName}:{module.Name}"));
        }

        builder.Services.AddSingleton(catalog);
        return builder.Build();
    }

    /// <summary>
    /// Runs until SIGTERM or Ctrl-C; a bad setting ends start-up with one line naming the key and exit code 2. The
    /// settings are validated and the sockets bound (a port already taken) before the host starts, so that it does not
    /// also log the failure with a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            using var host = Build(args);
            host.Services.GetService<IStartupValidator>()?.Validate();
            host.Services.GetRequiredService<CoapServer>().Bind();
            await host.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception error) when (DescribeConfigurationError(error) is { } message)
        {
            await Console.Error.WriteLineAsync($"coap-host: configuration error: {message}").ConfigureAwait(false);
            return ConfigurationError;
        }
    }

    /// <summary>The message of a configuration error, or null for any other failure.</summary>
    public static string? DescribeConfigurationError(Exception error) => error switch
    {
        CoapConfigurationException e => e.Message,
        OptionsValidationException e => string.Join(" ", e.Failures),
        AggregateException { InnerExceptions.Count: 1 } e => DescribeConfigurationError(e.InnerExceptions[0]),
        _ => null,
    };
}

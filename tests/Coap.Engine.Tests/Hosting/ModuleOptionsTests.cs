using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Coap.Engine.Tests.Hosting;

/// <summary>AddCoapOptions and AddCoapModule: how every module's settings are read.</summary>
public sealed class ModuleOptionsTests
{
    [Fact]
    public void The_switch_never_reaches_the_module_and_its_other_keys_bind()
    {
        var options = Bind(new() { ["Modules:Sample:Enabled"] = "true", ["Modules:Sample:Size"] = "7" });

        Assert.Equal(7, options.Size);
    }

    [Fact]
    public void A_misspelt_key_is_a_configuration_error_naming_it()
    {
        var error = Assert.Throws<CoapConfigurationException>(() => Bind(new() { ["Modules:Sample:Enabled"] = "true", ["Modules:Sample:Sise"] = "7" }));

        Assert.Contains("Sise", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_a_configuration_error_naming_its_full_key_even_beside_the_switch()
    {
        var error = Assert.Throws<CoapConfigurationException>(() => Bind(new() { ["Modules:Sample:Enabled"] = "true", ["Modules:Sample:Size"] = "big" }));

        Assert.Contains("Modules:Sample:Size", error.Message, StringComparison.Ordinal);
    }

    private static SampleOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddCoapModule(new SampleModule(), configuration.GetSection("Modules:Sample"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SampleOptions>>().Value;
    }

    private sealed class SampleOptions
    {
        public int Size { get; set; }
    }

    private sealed class SampleModule : ICoapModule
    {
        public string Name => "Sample";

        public void ConfigureServices(IServiceCollection services, IConfiguration section) =>
            services.AddCoapOptions<SampleOptions, AcceptAll>(section);

        public void MapResources(IResourceMapper map)
        {
        }
    }

    private sealed class AcceptAll : IValidateOptions<SampleOptions>
    {
        public ValidateOptionsResult Validate(string? name, SampleOptions options) => ValidateOptionsResult.Success;
    }
}

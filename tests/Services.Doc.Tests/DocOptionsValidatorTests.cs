using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Services.Doc.Tests;

public sealed class DocOptionsValidatorTests
{
    [Theory]
    [InlineData("Elsewhere", "", "coap:doc:", "Modules:Doc:Cache")]
    [InlineData("Redis", "", "coap:doc:", "Modules:Doc:Redis:Configuration")]
    [InlineData("Redis", "127.0.0.1:6379,nonsense=1", "coap:doc:", "Modules:Doc:Redis:Configuration")]
    [InlineData("Redis", "127.0.0.1:6379", "two words", "Modules:Doc:Redis:KeyPrefix")]
    public void A_bad_shared_cache_setting_is_named_by_its_key(string cache, string configuration, string prefix, string key)
    {
        var options = new DocOptions { Cache = cache, Redis = new DocRedisOptions { Configuration = configuration, KeyPrefix = prefix } };

        var result = new DocOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new DocOptionsValidator().Validate(null, new DocOptions()).Succeeded);
    }

    [Theory]
    [InlineData("192.0.2.53")]
    [InlineData("192.0.2.53:5353")]
    [InlineData("[2001:db8::53]:53")]
    [InlineData("2001:db8::53")]
    public void Upstream_addresses_with_and_without_ports_are_accepted(string upstream)
    {
        Assert.True(new DocOptionsValidator().Validate(null, new DocOptions { Upstreams = [upstream] }).Succeeded);
    }

    [Fact]
    public void Each_bad_setting_is_named_by_its_key()
    {
        var options = new DocOptions
        {
            Path = "/",
            Upstreams = ["127.0.0.1:53", "dns.example:53"],
            UpstreamTimeout = TimeSpan.Zero,
            UpstreamAttempts = 0,
            MaxInFlight = 0,
            NegativeMaxAge = 100_000,
            CacheEntries = -1,
            CacheBytes = -1,
        };

        var result = new DocOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "Path", "Upstreams:1", "UpstreamTimeout", "UpstreamAttempts", "MaxInFlight", "NegativeMaxAge", "CacheEntries", "CacheBytes" })
        {
            Assert.Contains(result.Failures!, failure => failure.StartsWith($"Modules:Doc:{key} ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(result.Failures!, failure => failure.StartsWith("Modules:Doc:Upstreams:0", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_key_stops_the_module_at_start()
    {
        var module = new DocModule();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Modules:Doc:Upstream"] = "127.0.0.1" }).Build();
        var services = new ServiceCollection();
        module.ConfigureServices(services, configuration.GetSection("Modules:Doc"));
        using var provider = services.BuildServiceProvider();

        Assert.Throws<CoapConfigurationException>(() => provider.GetRequiredService<IOptions<DocOptions>>().Value);
    }
}

using Coap.Engine.Hosting;
using Coap.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Services.Terminal.Tests;

/// <summary>Bad settings stop the start with a message naming the key.</summary>
public sealed class TerminalOptionsTests
{
    [Theory]
    [InlineData("AllowedPeers:0", "10.0.0.0/33", "Modules:Terminal:AllowedPeers:0")]
    [InlineData("AllowedPeers:0", "not-a-network", "Modules:Terminal:AllowedPeers:0")]
    [InlineData("Command", "sh", "Modules:Terminal:Command")]
    [InlineData("Command", "/no/such/program", "Modules:Terminal:Command")]
    [InlineData("Path", "/", "Modules:Terminal:Path")]
    [InlineData("MaxSessions", "0", "Modules:Terminal:MaxSessions")]
    [InlineData("IdleTimeout", "00:00:00", "Modules:Terminal:IdleTimeout")]
    [InlineData("HangupGrace", "-00:00:01", "Modules:Terminal:HangupGrace")]
    [InlineData("ExitedRetention", "00:00:00", "Modules:Terminal:ExitedRetention")]
    [InlineData("ScrollbackBytes", "100", "Modules:Terminal:ScrollbackBytes")]
    [InlineData("InputQueueBytes", "0", "Modules:Terminal:InputQueueBytes")]
    [InlineData("InputQueueBytes", "1048577", "Modules:Terminal:InputQueueBytes")]
    [InlineData("ScrollbackBytes", "-1", "Modules:Terminal:ScrollbackBytes")]
    [InlineData("ScrollbackBytes", "67108865", "Modules:Terminal:ScrollbackBytes")]
    [InlineData("MaxSessions", "1001", "Modules:Terminal:MaxSessions")]
    [InlineData("IdleTimeout", "366.00:00:00", "Modules:Terminal:IdleTimeout")]
    [InlineData("Path", "", "Modules:Terminal:Path")]
    [InlineData("Path", "a//b", "Modules:Terminal:Path")]
    [InlineData("Path", "term}", "Modules:Terminal:Path")]
    [InlineData("Path", "term/{id}", "Modules:Terminal:Path")]
    [InlineData("Command", "/bin", "Modules:Terminal:Command")]
    [InlineData("Command", "/etc/passwd", "Modules:Terminal:Command")]
    [InlineData("AllowedPeers:0", "10.0.0.1/8", "Modules:Terminal:AllowedPeers:0")]
    [InlineData("AllowedPeers:0", "10.0.0.0", "Modules:Terminal:AllowedPeers:0")]
    [InlineData("AllowedPeers:0", "2001:db8::/129", "Modules:Terminal:AllowedPeers:0")]
    [InlineData("AllowedPeers:0", " ", "Modules:Terminal:AllowedPeers:0")]
    [InlineData("AllowedPeers:0", "0.0.0.0/0", "Modules:Terminal:AllowAnyPeer")]
    [InlineData("AllowedPeers:0", "::/0", "Modules:Terminal:AllowAnyPeer")]
    [InlineData("AllowedPeers:0", "::ffff:192.0.2.0/120", "Modules:Terminal:AllowedPeers:0")]
    public void A_bad_value_is_refused_naming_its_key(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new() { [key] = value }));

        Assert.Contains(error.Failures, failure => failure.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MaxSessions", "many")]
    [InlineData("IdleTimeout", "soon")]
    [InlineData("ScrollbackBytes", "1e3")]
    public void A_value_of_the_wrong_type_is_refused_naming_its_key(string key, string value)
    {
        var error = Assert.Throws<CoapConfigurationException>(() => Options(new() { [key] = value }));

        Assert.Contains("Modules:Terminal:" + key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_refused_naming_it()
    {
        var error = Assert.Throws<CoapConfigurationException>(() => Options(new() { ["Shell"] = "/bin/sh" }));

        Assert.Contains("Shell", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_disabled_the_term_path_a_shell_and_64_KiB_of_scrollback()
    {
        var options = Options([]);

        Assert.False(new TerminalModule().EnabledByDefault);
        Assert.Equal("/term/", options.Path);
        Assert.True(File.Exists(options.Command));
        Assert.Equal(64 * 1024, options.ScrollbackBytes);
        Assert.Empty(options.AllowedPeers);
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public void Every_address_may_be_allowed_only_with_allow_any_peer(string network)
    {
        var options = Options(new() { ["AllowedPeers:0"] = network, ["AllowAnyPeer"] = "true" });

        Assert.Equal([network], options.AllowedPeers);
    }

    private static TerminalOptions Options(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(pair => "Modules:Terminal:" + pair.Key, pair => pair.Value)).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddLogging();
        new TerminalModule().ConfigureServices(services, configuration.GetSection("Modules:Terminal"));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TerminalOptions>>().Value;
    }
}

using CoapHost.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace CoapHost.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("--Coap:Port=70000", "Coap:Port")]
    [InlineData("--Coap:Port=abc", "Coap:Port")]
    [InlineData("--Coap:Address=not-an-ip", "Coap:Address")]
    [InlineData("--Coap:Transmission:AckRandomFactor=0.5", "Coap:Transmission:AckRandomFactor")]
    [InlineData("--Coap:SeparateResponseAfter=00:00:05", "Coap:SeparateResponseAfter")]
    [InlineData("--Coap:Prot=5683", "Prot")]
    [InlineData("--Modules:Nope:Enabled=true", "Modules:Nope")]
    [InlineData("--Modules:Time:Enabled=maybe", "Modules:Time:Enabled")]
    [InlineData("--Plugins:Directory=/nonexistent/plugins", "Plugins:Directory")]
    [InlineData("--Modules:PubSub:MaxTopics=-5", "Modules:PubSub:MaxTopics")]
    [InlineData("--Modules:PubSub:MaxPayloadBytes=lots", "Modules:PubSub:MaxPayloadBytes")]
    [InlineData("--Modules:PubSub:Path=a//b", "Modules:PubSub:Path")]
    [InlineData("--Modules:Time:Path=a//b", "Modules:Time:Path")]
    [InlineData("--Modules:Doc:Path=dns}", "Modules:Doc:Path")]
    public async Task Bad_setting_stops_start_up_naming_the_key(string argument, string key)
    {
        var message = await HostFixture.StartupErrorAsync(argument);

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Modules:Terminal:Path=a//b", "Modules:Terminal:Path")]
    [InlineData("--Modules:Terminal:Path=term}", "Modules:Terminal:Path")]
    [InlineData("--Modules:Terminal:AllowedPeers:0=10.0.0.0/33", "Modules:Terminal:AllowedPeers:0")]
    [InlineData("--Modules:Terminal:MaxSessions=many", "Modules:Terminal:MaxSessions")]
    [InlineData("--Modules:Terminal:Command=/etc/passwd", "Modules:Terminal:Command")]
    public async Task Bad_terminal_setting_stops_start_up_naming_the_key(string argument, string key)
    {
        var message = await HostFixture.StartupErrorAsync("--Modules:Terminal:Enabled=true", argument);

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_service_mounted_at_the_root_over_the_time_service_stops_start_up_naming_both()
    {
        var root = Directory.CreateTempSubdirectory("host-files-").FullName;
        try
        {
            var message = await HostFixture.StartupErrorAsync("--Modules:FileServer:Path=/", $"--Modules:FileServer:Root={root}");

            Assert.Contains("FileServer", message, StringComparison.Ordinal);
            Assert.Contains("Time", message, StringComparison.Ordinal);
            Assert.Contains("overlaps", message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Modules_are_enabled_by_their_switch_and_terminal_and_proxy_are_off_by_default()
    {
        await using var host = await HostFixture.StartAsync("--Modules:Time:Enabled=false");

        var catalog = host.Host.Services.GetRequiredService<ModuleCatalog>();
        var enabled = catalog.Enabled.Select(m => m.Name).ToList();

        Assert.DoesNotContain("Time", enabled);
        Assert.DoesNotContain("Terminal", enabled);
        Assert.DoesNotContain("Proxy", enabled);
        Assert.Contains("FileServer", enabled);
        Assert.Equal(6, catalog.All.Count);
    }
}

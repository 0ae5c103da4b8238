using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;
using CoapHost.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace CoapHost.Tests;

public sealed class PluginTests : IDisposable
{
    private readonly string _plugins = Directory.CreateTempSubdirectory("coap-plugins-").FullName;

    public PluginTests()
    {
        var built = typeof(PluginTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SamplePluginDirectory").Value!;
        var target = Directory.CreateDirectory(Path.Combine(_plugins, "SamplePlugin")).FullName;
        foreach (var file in Directory.EnumerateFiles(built, "SamplePlugin.*"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_plugins, recursive: true);

    [Fact]
    public async Task Plugin_loads_in_its_own_context_and_its_resource_answers()
    {
        await using var host = await HostFixture.StartAsync($"--Plugins:Directory={_plugins}", "--Modules:Sample:Greeting=hi there");
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });

        var response = await client.GetAsync(host.Uri("sample"));
        var discovery = await client.GetAsync(host.Uri(".well-known/core"));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("hi there", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.True(LinkFormatParser.TryParse(Encoding.UTF8.GetString(discovery.Payload.Span), out var links, out _));
        Assert.Contains(links, l => l.Target == "/sample" && l.GetAttribute("rt") == "sample.greeting");
        var module = host.Host.Services.GetRequiredService<ModuleCatalog>().Enabled.Single(m => m.Name == "Sample");
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(module.GetType().Assembly));
    }

    [Fact]
    public async Task Disabled_plugin_module_maps_nothing()
    {
        await using var host = await HostFixture.StartAsync($"--Plugins:Directory={_plugins}", "--Modules:Sample:Enabled=false");
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });

        var response = await client.GetAsync(host.Uri("sample"));

        Assert.Equal(CoapCode.NotFound, response.Code);
    }

    [Fact]
    public async Task A_file_that_is_not_an_assembly_stops_start_up_naming_the_key()
    {
        await File.WriteAllTextAsync(Path.Combine(_plugins, "broken.dll"), "not an assembly");

        var message = await HostFixture.StartupErrorAsync($"--Plugins:Directory={_plugins}");

        Assert.Contains("Plugins:Directory", message, StringComparison.Ordinal);
        Assert.Contains("broken.dll", message, StringComparison.Ordinal);
    }
}

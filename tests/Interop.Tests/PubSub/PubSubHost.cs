using System.Globalization;
using Coap.Engine.Server;
using CoapHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Interop.Tests.PubSub;

/// <summary>The real host on 127.0.0.1 and a free port with the broker keeping its state in <see cref="StateDirectory"/> (or in Redis).</summary>
internal sealed class PubSubHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PubSubHost(IHost host, string stateDirectory)
    {
        _host = host;
        StateDirectory = stateDirectory;
    }

    public string StateDirectory { get; }

    public int Port => _host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port;

    public string Uri(string path) => $"coap://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{path.TrimStart('/')}";

    public static async Task<PubSubHost> StartAsync(string stateDirectory)
    {
        var host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0", $"--Modules:PubSub:StateDirectory={stateDirectory}"]);
        await host.StartAsync();
        return new PubSubHost(host, stateDirectory);
    }

    /// <summary>The real host with Modules:PubSub:Store = Redis on <paramref name="redisConfiguration"/>: one of several hosts that are one broker.</summary>
    public static async Task<PubSubHost> StartOnRedisAsync(string redisConfiguration)
    {
        var host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0", "--Modules:PubSub:Store=Redis", $"--Modules:PubSub:Redis:Configuration={redisConfiguration}"]);
        await host.StartAsync();
        return new PubSubHost(host, string.Empty);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

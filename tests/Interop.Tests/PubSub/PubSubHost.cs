using System.Globalization;
using Coap.Engine.Server;
using CoapHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Interop.Tests.PubSub;

/// <summary>The real host on 127.0.0.1 and a free port with the broker keeping its state in <see cref="StateDirectory"/>.</summary>
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

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

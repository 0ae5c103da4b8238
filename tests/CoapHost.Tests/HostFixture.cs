using System.Net;
using Coap.Engine.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoapHost.Tests;

/// <summary>Starts the real host in-process on 127.0.0.1 and a free port.</summary>
internal sealed class HostFixture : IAsyncDisposable
{
    private HostFixture(IHost host)
    {
        Host = host;
    }

    public IHost Host { get; }

    public IPEndPoint EndPoint => Host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0];

    public string Uri(string path) => $"coap://127.0.0.1:{EndPoint.Port}/{path}";

    public static async Task<HostFixture> StartAsync(params string[] args)
    {
        var host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0", .. args]);
        await host.StartAsync();
        return new HostFixture(host);
    }

    /// <summary>The configuration error that keeps the host from starting with these arguments.</summary>
    public static async Task<string> StartupErrorAsync(params string[] args)
    {
        try
        {
            using var host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0", .. args]);
            await host.StartAsync();
            await host.StopAsync();
        }
        catch (Exception error)
        {
            return CoapHostApplication.DescribeConfigurationError(error) ?? throw new InvalidOperationException("Not a configuration error.", error);
        }

        throw new InvalidOperationException("The host started.");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

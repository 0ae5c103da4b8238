using Coap.Engine.Client;
using Services.FileServer.Client;
using Coap.Engine.Server;
using CoapHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Coap.Mount.Tests;

/// <summary>The real host in-process on loopback port 0, serving a fresh temp directory writable at /files/, and a file client of its own.</summary>
public sealed class FileHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly CoapClient _client;

    private FileHost(IHost host, string root, string uri)
    {
        _host = host;
        Root = root;
        Uri = uri;
        _client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        Files = new CoapFileClient(_client);
    }

    public string Root { get; }

    /// <summary>"coap://127.0.0.1:{port}/files/".</summary>
    public string Uri { get; }

    /// <summary>Another client of the same service, for changes made behind the mount's back.</summary>
    public CoapFileClient Files { get; }

    public static async Task<FileHost> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("mount-root-").FullName;
        var host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0", $"--Modules:FileServer:Root={root}", "--Modules:FileServer:Writable=true"]);
        await host.StartAsync();
        var port = host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port;
        return new FileHost(host, root, $"coap://127.0.0.1:{port}/files/");
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

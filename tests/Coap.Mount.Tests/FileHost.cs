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

    /// <summary>
    /// The host with coaps only (plain CoAP off) and loopback not trusted, so that writes need the PSK identity
    /// <paramref name="identity"/> with <paramref name="key"/>; <see cref="Uri"/> is "coaps://127.0.0.1:{port}/files/".
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<FileHost> StartSecureAsync(string identity, string key)
    {
        var root = Directory.CreateTempSubdirectory("mount-root-").FullName;
        var keys = Path.Combine(Directory.CreateTempSubdirectory("mount-keys-").FullName, "keys.txt");
        File.WriteAllText(keys, $"{identity}={key}\n");
        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var host = CoapHostApplication.Build([
            "--Coap:Address=127.0.0.1", "--Coap:Plain:Enabled=false", "--Coap:Security:Port=0", $"--Coap:Security:PskFile={keys}",
            "--Access:TrustLoopback=false", $"--Modules:FileServer:Root={root}", "--Modules:FileServer:Writable=true"]);
        await host.StartAsync();
        File.Delete(keys);
        Directory.Delete(Path.GetDirectoryName(keys)!);
        var port = host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port;
        return new FileHost(host, root, $"coaps://127.0.0.1:{port}/files/");
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

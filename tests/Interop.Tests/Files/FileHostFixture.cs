using Coap.Engine.Server;
using CoapHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Interop.Tests.Files;

/// <summary>The real host in-process, serving a fresh temp directory writable at /files/; scratch space for the client's files.</summary>
public sealed class FileHostFixture : IAsyncLifetime
{
    private IHost? _host;

    public string Root { get; } = Directory.CreateTempSubdirectory("files-interop-root-").FullName;

    public string Scratch { get; } = Directory.CreateTempSubdirectory("files-interop-client-").FullName;

    /// <summary>"coap://127.0.0.1:{port}/files/".</summary>
    public string BaseUri { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0", $"--Modules:FileServer:Root={Root}", "--Modules:FileServer:Writable=true"]);
        await _host.StartAsync();
        BaseUri = $"coap://127.0.0.1:{_host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port}/files/";
    }

    public async Task DisposeAsync()
    {
        await _host!.StopAsync();
        _host.Dispose();
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Scratch, recursive: true);
    }
}

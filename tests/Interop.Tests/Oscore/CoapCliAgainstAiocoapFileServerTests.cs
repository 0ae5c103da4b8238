using System.Diagnostics;
using System.Globalization;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Oscore;

/// <summary>
/// Our `coap` client with --oscore against aiocoap-fileserver 0.4.12 serving over OSCORE (the RFC 8613 C.1 context,
/// aiocoap as the server): ls, get of a file larger than a block (inner Block2 through OSCORE) and put of one
/// (inner Block1). A tshark capture proves that every request on the wire carried the OSCORE option and no Uri-Path.
/// </summary>
public sealed class CoapCliAgainstAiocoapFileServerTests : IAsyncLifetime
{
    private static readonly string Coap = Path.Combine(AppContext.BaseDirectory, "coap.dll");

    private readonly string _directory = Directory.CreateTempSubdirectory("aiocoap-files-").FullName;
    private Process? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit 2 calls this (IAsyncLifetime), not IAsyncDisposable.DisposeAsync.</summary>
    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Ls_get_and_put_are_protected_on_the_wire()
    {
        var root = Directory.CreateDirectory(Path.Combine(_directory, "root")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        var big = new byte[5000];
        new Random(17).NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(root, "big.bin"), big);
        var upload = new byte[3000];
        new Random(18).NextBytes(upload);
        var source = Path.Combine(_directory, "upload.bin");
        await File.WriteAllBytesAsync(source, upload);
        var client = AiocoapClientAgainstOurServerTests.ContextFolder(_directory, "client", AiocoapClientAgainstOurServerTests.C1ClientSettings);
        var port = await StartServerAsync(root);
        var uri = $"coap://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/";
        var downloaded = Path.Combine(_directory, "big.copy");
        await using var capture = await Tshark.StartAsync(port);

        var ls = await RunAsync("ls", uri, "--oscore", client);
        var get = await RunAsync("get", uri + "big.bin", "-o", downloaded, "--oscore", client);
        var put = await RunAsync("put", source, uri + "upload.bin", "--oscore", client);

        Assert.True(ls.ExitCode == 0, ls.StandardError);
        Assert.Contains("big.bin", ls.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sub/", ls.StandardOutput, StringComparison.Ordinal);
        Assert.True(get.ExitCode == 0, get.StandardError);
        Assert.Equal(big, await File.ReadAllBytesAsync(downloaded));
        Assert.True(put.ExitCode == 0, put.StandardError);
        Assert.Equal(upload, await File.ReadAllBytesAsync(Path.Combine(root, "upload.bin")));
        if (capture is not null)
        {
            var (requests, protectedRequests, withUriPath) = await capture.StopAndCountAsync();
            Assert.True(requests >= 3, $"{requests} requests captured");
            Assert.Equal(requests, protectedRequests);
            Assert.Equal(0, withUriPath);
        }
    }

    private static Task<ProcessResult> RunAsync(params string[] args) => Tool.RunAsync("dotnet", [Coap, .. args], TimeSpan.FromSeconds(60));

    /// <summary>
    /// aiocoap-fileserver with --write, its server credentials naming the context folder (":client" is any name; the
    /// kid of a request picks the context), on a free port; waits (bounded) until it answers a plain GET, which it serves
    /// too (this is before the capture starts).
    /// </summary>
    private async Task<int> StartServerAsync(string root)
    {
        var folder = AiocoapClientAgainstOurServerTests.ContextFolder(_directory, "server", AiocoapClientAgainstOurServerTests.C1ServerSettings);
        var credentials = Path.Combine(_directory, "server-credentials.json");
        await File.WriteAllTextAsync(credentials, "{\":client\": {\"oscore\": {\"basedir\": \"" + folder + "/\"}}}");
        var port = Tool.FreeUdpPort();
        _server = Aiocoap.Start("aiocoap-fileserver", ["--bind", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--credentials", credentials, "--write", root]);
        _server.StandardInput.Close();
        _ = _server.StandardOutput.ReadToEndAsync();
        var errors = _server.StandardError.ReadToEndAsync();
        await using var probe = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !_server.HasExited)
        {
            try
            {
                var request = probe.NewRequest(CoapCode.Get, default, null);
                request.Type = CoapMessageType.NonConfirmable;
                if ((await probe.SendAsync(request, CoapUri.Parse($"coap://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"))).Code == CoapCode.Content)
                {
                    return port;
                }
            }
            catch (CoapException)
            {
            }
        }

        throw new InvalidOperationException("aiocoap-fileserver did not come up: " + (_server.HasExited ? await errors : "no answer"));
    }
}

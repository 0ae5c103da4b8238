using Coap.Engine.Server;
using CoapHost;
using Interop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Interop.Tests.Files;

/// <summary>
/// Atomicity with real processes: libcoap's coap-client is killed half-way through a block-wise PUT, then the server
/// is stopped and started again on the same root. The old content is intact throughout and no temp file remains.
/// </summary>
public sealed class InterruptedUploadTests : IAsyncLifetime
{
    /// <summary>How much of the 4 MiB upload has arrived when the client is killed: under way, far from done.</summary>
    private const long UnderWay = 32 * 1024;

    private readonly string _root = Directory.CreateTempSubdirectory("files-interrupted-").FullName;
    private IHost? _host;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_killed_upload_and_a_restarted_server_leave_the_old_content_and_no_temp_file()
    {
        var target = Path.Join(_root, "data.bin");
        await File.WriteAllTextAsync(target, "old content");
        var source = Path.Join(_root, "..", Path.GetFileName(_root) + "-source.bin");
        await File.WriteAllBytesAsync(source, new byte[4 << 20]);
        try
        {
            var uri = await StartAsync() + "data.bin";
            using (var client = Tool.Start(Tool.Find("coap-client-notls"), ["-m", "put", "-b", "16", "-f", source, uri]))
            {
                await WhenTempFileHoldsAsync(UnderWay);
                client.Kill(entireProcessTree: true);
                await client.WaitForExitAsync();
            }

            Assert.Single(TempFiles());
            Assert.Equal("old content", await File.ReadAllTextAsync(target));

            await StopAsync();
            await StartAsync();

            Assert.Empty(TempFiles());
            Assert.Equal("old content", await File.ReadAllTextAsync(target));
        }
        finally
        {
            File.Delete(source);
        }
    }

    /// <summary>Completes once the upload's temp file holds at least <paramref name="bytes"/>, watching the root for it.</summary>
    private async Task WhenTempFileHoldsAsync(long bytes)
    {
        using var watcher = new FileSystemWatcher(_root, "*.upload") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.Size };
        var grown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            try
            {
                if (TempFiles().Any(path => new FileInfo(path).Length >= bytes))
                {
                    grown.TrySetResult();
                }
            }
            catch (IOException)
            {
                // The temp file went away between listing and sizing it: the next event looks again.
            }
        }

        watcher.Created += (_, _) => Check();
        watcher.Changed += (_, _) => Check();
        watcher.EnableRaisingEvents = true;
        Check();
        await grown.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private string[] TempFiles() => Directory.GetFiles(_root, ".*.upload", new EnumerationOptions { AttributesToSkip = 0 });

    private async Task<string> StartAsync()
    {
        _host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0", $"--Modules:FileServer:Root={_root}", "--Modules:FileServer:Writable=true"]);
        await _host.StartAsync();
        return $"coap://127.0.0.1:{_host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port}/files/";
    }

    private async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }
    }
}

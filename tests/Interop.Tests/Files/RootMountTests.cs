using Coap.Engine.Server;
using CoapHost;
using Interop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Interop.Tests.Files;

/// <summary>
/// The file service mounted at "/": libcoap's coap-client lists the root with coap://host/ (which RFC 7252 §6.4 sends
/// without any Uri-Path) and puts, gets and deletes a file at the top level.
/// </summary>
public sealed class RootMountTests
{
    [Fact]
    public async Task Coap_client_lists_the_root_and_puts_gets_and_deletes_a_top_level_file()
    {
        var root = Directory.CreateTempSubdirectory("files-interop-rootmount-").FullName;
        var scratch = Directory.CreateTempSubdirectory("files-interop-rootmount-client-").FullName;
        using var host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0", $"--Modules:FileServer:Root={root}",
            "--Modules:FileServer:Writable=true", "--Modules:FileServer:Path=/", "--Modules:Time:Enabled=false",
            "--Modules:Doc:Enabled=false", "--Modules:PubSub:Enabled=false"]);
        await host.StartAsync();
        try
        {
            var baseUri = $"coap://127.0.0.1:{host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port}/";
            await File.WriteAllTextAsync(Path.Join(root, "listed.txt"), "x");
            var source = Path.Join(scratch, "up.txt");
            await File.WriteAllTextAsync(source, "top level");

            var listing = await LibcoapClient.RunAsync("-m", "get", baseUri);
            var put = await LibcoapClient.RunAsync("-m", "put", "-f", source, baseUri + "up.txt");
            var get = await LibcoapClient.RunAsync("-m", "get", baseUri + "up.txt");
            var delete = await LibcoapClient.RunAsync("-m", "delete", baseUri + "up.txt");

            Assert.Contains("<listed.txt>", listing.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(0, put.ExitCode);
            Assert.Equal("top level", get.StandardOutput.TrimEnd('\n'));
            Assert.Equal(0, delete.ExitCode);
            Assert.False(File.Exists(Path.Join(root, "up.txt")));
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(root, recursive: true);
            Directory.Delete(scratch, recursive: true);
        }
    }
}

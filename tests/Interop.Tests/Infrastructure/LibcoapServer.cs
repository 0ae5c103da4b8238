using System.Diagnostics;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Interop.Tests.Infrastructure;

/// <summary>libcoap's example server (coap-server-notls) on 127.0.0.1, started and killed by the test.</summary>
public sealed class LibcoapServer : IAsyncDisposable
{
    private readonly Process _process;

    private LibcoapServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Uri(string path) => $"coap://127.0.0.1:{Port}/{path}";

    /// <summary>Starts the server and waits, at most ten seconds, until it answers GET /time.</summary>
    public static async Task<LibcoapServer> StartAsync()
    {
        var port = Tool.FreeUdpPort();
        var process = Tool.Start(Tool.Find("coap-server-notls"), ["-A", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var server = new LibcoapServer(process, port);
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                var request = client.NewRequest(CoapCode.Get, default, null);
                request.Type = CoapMessageType.NonConfirmable;
                if ((await client.SendAsync(request, CoapUri.Parse(server.Uri("time")))).Code == CoapCode.Content)
                {
                    return server;
                }
            }
            catch (CoapException)
            {
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("coap-server-notls did not come up within 10 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

using System.Diagnostics;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Testing.Programs;

/// <summary>
/// libcoap's example server on 127.0.0.1, started and killed by the test: coap-server-notls, or a DTLS build
/// (coap-server-openssl, coap-server-gnutls) that also listens for coaps:// on the port after the plain one.
/// </summary>
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

    /// <summary>The coaps:// URI of a path: a DTLS build listens on the plain port plus one.</summary>
    public string SecureUri(string path) => $"coaps://127.0.0.1:{Port + 1}/{path}";

    /// <summary>coap-server-notls; see <see cref="StartAsync(string, string[])"/>.</summary>
    public static Task<LibcoapServer> StartAsync() => StartAsync("coap-server-notls");

    /// <summary>
    /// A DTLS build of the server with a pre-shared key (<c>-k</c>, any identity is given it: libcoap's example server
    /// refuses none) and up to <paramref name="dynamic"/> resources created by PUT (<c>-d</c>).
    /// </summary>
    public static Task<LibcoapServer> StartPskAsync(string program, string key, int dynamic = 10) =>
        StartAsync(program, "-k", key, "-d", dynamic.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Starts the server and waits, at most fifteen seconds, until it answers GET /time. The port was free a moment
    /// before the server binds it, so another test's socket may take it first: the server then exits at once, and it
    /// is started again on another port.
    /// </summary>
    public static async Task<LibcoapServer> StartAsync(string program, params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Tool.FreeUdpPort();
            var process = Tool.Start(Tool.Find(program), ["-A", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]);
            var server = new LibcoapServer(process, port);
            if (await server.AnswersAsync())
            {
                return server;
            }

            var exited = process.HasExited;
            await server.DisposeAsync();
            if (!exited || attempt == 3)
            {
                throw new InvalidOperationException($"{program} did not come up ({(exited ? "it exited" : "no answer within 15 s")}).");
            }
        }
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

    /// <summary>Asks GET /time until the server answers (true), exits or fifteen seconds pass (false).</summary>
    private async Task<bool> AnswersAsync()
    {
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                var request = client.NewRequest(CoapCode.Get, default, null);
                request.Type = CoapMessageType.NonConfirmable;
                if ((await client.SendAsync(request, CoapUri.Parse(Uri("time")))).Code == CoapCode.Content)
                {
                    return true;
                }
            }
            catch (CoapException)
            {
            }
        }

        return false;
    }
}

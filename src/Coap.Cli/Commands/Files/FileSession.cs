using Coap.Cli.Output;
using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Commands.Files;

/// <summary>
/// A <see cref="CoapFileClient"/> over a CoAP client of its own, set up from the command's client options; with
/// --verbose every message sent and received is traced on stderr.
/// </summary>
internal sealed class FileSession : IAsyncDisposable
{
    private readonly CoapClient _client;

    public FileSession(ClientSettings settings, CliConsole console)
    {
        _client = new CoapClient(settings.ToClientOptions(), settings.Verbose ? new VerboseLog(console.Error) : null);
        var proxy = settings.Proxy;
        Files = new CoapFileClient(_client) { Route = proxy is null ? null : (request, target) => ProxyRoute.Apply(request, target, proxy) };
    }

    public CoapFileClient Files { get; }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}

using Coap.Engine.Client;
using Coap.Engine.Client.Files;

namespace Coap.Cli.Commands.Files;

/// <summary>A <see cref="CoapFileClient"/> over a CoAP client of its own, set up from the command's client options.</summary>
internal sealed class FileSession : IAsyncDisposable
{
    private readonly CoapClient _client;

    public FileSession(ClientSettings settings)
    {
        _client = new CoapClient(settings.ToClientOptions());
        Files = new CoapFileClient(_client);
    }

    public CoapFileClient Files { get; }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}

using System.Text;
using Coap.Engine.Client;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;
using Coap.Testing;
using Microsoft.Extensions.Logging;

namespace Services.PubSub.Tests;

/// <summary>The real module on a real UDP socket, a client for it, and short-hands for the requests the tests make.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly string? _stateDirectory;

    public TestBroker(Dictionary<string, string?>? settings = null, TimeProvider? time = null, bool persist = false, ILoggerProvider? logs = null, TimeProvider? engineTime = null)
    {
        settings ??= [];
        if (persist && !settings.ContainsKey("Modules:PubSub:StateDirectory"))
        {
            _stateDirectory = Directory.CreateTempSubdirectory("coap-pubsub-").FullName;
            settings["Modules:PubSub:StateDirectory"] = _stateDirectory;
        }
        else
        {
            settings.TryAdd("Modules:PubSub:StateDirectory", string.Empty);
        }

        Server = new UdpModuleServer(new PubSubModule(), settings, time, logs, engineTime);
        Client = new CoapClient();
    }

    public UdpModuleServer Server { get; }

    public CoapClient Client { get; }

    public string Uri(string path) => Server.Uri(path);

    public Task<CoapMessage> Send(CoapCode method, string path, byte[]? payload = null, int? format = null)
    {
        var request = Client.NewRequest(method, payload ?? default(ReadOnlyMemory<byte>), format);
        return Client.SendAsync(request, CoapUri.Parse(Uri(path)), new CancellationTokenSource(Timeout).Token);
    }

    /// <summary>Creates a topic and returns its path ("ps/abc1234") and data path ("ps/data/def5678").</summary>
    public async Task<(string Topic, string Data)> CreateAsync(string name, params (int Key, object? Value)[] more)
    {
        var response = await Send(CoapCode.Post, "ps", Maps.Topic(name, more), Maps.Format);
        Assert.Equal(CoapCode.Created, response.Code);
        return (response.GetLocationPath().TrimStart('/'), (string)Maps.Read(response.Payload)[1]);
    }

    public Task<CoapMessage> PublishAsync(string data, string text, int? format = ContentFormat.TextPlain) =>
        Send(CoapCode.Put, data, Encoding.UTF8.GetBytes(text), format);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        if (_stateDirectory is not null)
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    public static string Text(CoapMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    public static IReadOnlyList<WebLink> Links(CoapMessage message)
    {
        Assert.True(LinkFormatParser.TryParse(Text(message), out var links, out var error), error);
        return links;
    }
}

using Coap.Engine.Client;
using Coap.Testing;

namespace Services.Terminal.Tests;

/// <summary>The terminal module on a real UDP server running /bin/sh, with a client, and the check that no process outlives it.</summary>
internal sealed class TerminalServer : IAsyncDisposable
{
    private readonly IReadOnlyList<int> _childrenBefore = ProcessTable.Children();

    public TerminalServer(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings.TryAdd("Modules:Terminal:Command", "/bin/sh");
        Server = new UdpModuleServer(new TerminalModule(), settings);
        Client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
    }

    public UdpModuleServer Server { get; }

    public CoapClient Client { get; }

    public string Uri(string path) => Server.BaseUri + path;

    /// <summary>Stops the server (which hangs up every session) and checks that every child it started is gone and reaped.</summary>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        Assert.Equal(_childrenBefore, ProcessTable.Children().Intersect(_childrenBefore).ToList());
        Assert.Empty(ProcessTable.Children().Except(_childrenBefore));
    }
}

using Coap.Engine.Blockwise;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Server;
using Coap.Testing;
using Coap.Testing.Relay;

namespace Coap.Engine.Tests.Relay;

/// <summary>
/// What the relay tests share: our server with one resource at <c>/{path}</c> behind an <see cref="ImpairmentRelay"/>
/// adding 20 ms each way and the given loss (from a fixed seed), a client of ours, the bound every transfer is held
/// to, and the disposal of relay and server (IAsyncLifetime: xunit 2 ignores IAsyncDisposable on test classes).
/// </summary>
public abstract class RelayTestBase(string path, int seed) : IAsyncLifetime
{
    protected const int Length = 1024 * 1024;

    /// <summary>The most one transfer may take; a bound for a hang, not a timed assertion.</summary>
    protected static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private CoapEndpoint? _server;

    protected ImpairmentRelay Relay { get; private set; } = null!;

    protected string Uri => $"coap://{Relay.Authority}/{path}";

    protected CoapUri ParsedUri => CoapUri.TryParse(Uri, out var uri, out var error) ? uri! : throw new InvalidOperationException(error);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Starts server and relay; the client is the caller's to dispose.</summary>
    protected CoapClient Start(ICoapResource resource, double loss, bool serverQBlock = true)
    {
        var tree = new ResourceTree();
        tree.Map(path, resource);
        _server = TestEndpoints.StartUdpServer(tree, new CoapEndpointOptions { QBlock = new CoapQBlockOptions { Enabled = serverQBlock } });
        Relay = ImpairmentRelay.Start(_server.LocalEndPoints[0], TimeSpan.FromMilliseconds(20), loss, seed);
        return new CoapClient(new CoapClientOptions());
    }

    /// <summary>Keeps the latest report (reports come in order from the transfer's own flow).</summary>
    protected sealed class LastProgress : IProgress<TransferProgress>
    {
        public TransferProgress Last { get; private set; }

        public void Report(TransferProgress value) => Last = value;
    }
}

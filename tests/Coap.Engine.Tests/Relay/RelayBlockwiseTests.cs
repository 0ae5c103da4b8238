using System.Diagnostics;
using System.Security.Cryptography;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.EndToEnd;
using Coap.Testing;
using Coap.Testing.Relay;
using Xunit.Abstractions;

namespace Coap.Engine.Tests.Relay;

/// <summary>
/// Plain block-wise (RFC 7959), CON, one block per round trip, through the impairment relay at 20 ms each way: the
/// transfer completes because lost blocks are retransmitted after the measured RTO rather than after ACK_TIMEOUT.
/// </summary>
public sealed class RelayBlockwiseTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Length = 1024 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private CoapEndpoint? _server;
    private ImpairmentRelay? _relay;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(0.01)]
    public async Task A_con_download_of_1_MiB_completes(double loss)
    {
        var body = BlockwiseEndToEndTests.RandomBody(Length, seed: 3);
        await using var client = Start(new BodyStoreResource(body), loss);

        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync(Uri).WaitAsync(Bound);
        output.WriteLine($"GET 1 MiB at {loss:P0} loss: {watch.Elapsed.TotalSeconds:F1} s, {_relay!.Dropped} dropped");

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(response.Payload.Span));
    }

    [Theory]
    [InlineData(0.01)]
    public async Task A_con_upload_of_1_MiB_completes(double loss)
    {
        var body = BlockwiseEndToEndTests.RandomBody(Length, seed: 4);
        var resource = new BodyStoreResource([]);
        await using var client = Start(resource, loss);

        var watch = Stopwatch.StartNew();
        var response = await client.PutAsync(Uri, body, ContentFormat.OctetStream).WaitAsync(Bound);
        output.WriteLine($"PUT 1 MiB at {loss:P0} loss: {watch.Elapsed.TotalSeconds:F1} s, {_relay!.Dropped} dropped");

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(resource.Body));
    }

    private string Uri => $"coap://{_relay!.Authority}/data";

    private CoapClient Start(ICoapResource resource, double loss)
    {
        var tree = new ResourceTree();
        tree.Map("data", resource);
        _server = TestEndpoints.StartUdpServer(tree);
        _relay = ImpairmentRelay.Start(_server.LocalEndPoints[0], TimeSpan.FromMilliseconds(20), loss, seed: 19);
        return new CoapClient(new CoapClientOptions());
    }
}

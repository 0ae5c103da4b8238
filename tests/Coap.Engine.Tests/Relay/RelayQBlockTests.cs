using System.Diagnostics;
using System.Security.Cryptography;
using Coap.Engine.Blockwise;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.EndToEnd;
using Coap.Testing;
using Coap.Testing.Relay;
using Xunit.Abstractions;

namespace Coap.Engine.Tests.Relay;

/// <summary>
/// Q-Block2 (RFC 9177) between our client and our server through the impairment relay at 20 ms each way: a 1 MiB
/// download completes with the same bytes at every loss rate, lost blocks being asked for again; a server without
/// Q-Block gets plain block-wise.
/// </summary>
public sealed class RelayQBlockTests(ITestOutputHelper output) : IAsyncLifetime
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
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.10)]
    [InlineData(0.30)]
    public async Task A_download_of_1_MiB_completes_with_the_same_bytes(double loss)
    {
        var body = BlockwiseEndToEndTests.RandomBody(Length, seed: 5);
        var resource = new BodyStoreResource(body);
        var client = Start(resource, loss);
        await using var _ = client;
        var progress = new LastProgress();

        var watch = Stopwatch.StartNew();
        var response = await client.SendAsync(client.NewRequest(CoapCode.Get, default, null), ParsedUri, progress).WaitAsync(Bound);
        output.WriteLine($"Q-Block2 GET 1 MiB at {loss:P0} loss: {watch.Elapsed.TotalSeconds:F1} s, {_relay!.Dropped} dropped, {progress.Last.Retransmissions} blocks asked again, {resource.Gets} block renders, {response.Code} {System.Text.Encoding.UTF8.GetString(response.Code.IsSuccess ? default : response.Payload.Span)}");

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(response.Payload.Span));
        Assert.False(response.Options.Contains(OptionNumber.QBlock2));
        Assert.False(client.IsKnownWithoutQBlock(_relay.EndPoint));
        if (loss >= 0.10)
        {
            Assert.True(progress.Last.Retransmissions > 0, "no block was asked for again at this loss");
        }
    }

    [Fact]
    public async Task A_server_without_q_block_is_answered_with_plain_block_wise_and_remembered()
    {
        var body = BlockwiseEndToEndTests.RandomBody(64 * 1024, seed: 6);
        var client = Start(new BodyStoreResource(body), 0, serverQBlock: false);
        await using var _ = client;

        var first = await client.GetAsync(Uri).WaitAsync(Bound);
        Assert.True(client.IsKnownWithoutQBlock(_relay!.EndPoint));
        var second = await client.GetAsync(Uri).WaitAsync(Bound);

        Assert.Equal(SHA256.HashData(body), SHA256.HashData(first.Payload.Span));
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(second.Payload.Span));
    }

    private string Uri => $"coap://{_relay!.Authority}/data";

    private CoapUri ParsedUri => CoapUri.TryParse(Uri, out var uri, out var error) ? uri! : throw new InvalidOperationException(error);

    private CoapClient Start(ICoapResource resource, double loss, bool serverQBlock = true)
    {
        var tree = new ResourceTree();
        tree.Map("data", resource);
        _server = TestEndpoints.StartUdpServer(tree, new CoapEndpointOptions { QBlock = new CoapQBlockOptions { Enabled = serverQBlock } });
        _relay = ImpairmentRelay.Start(_server.LocalEndPoints[0], TimeSpan.FromMilliseconds(20), loss, seed: 9177);
        return new CoapClient(new CoapClientOptions());
    }

    /// <summary>Keeps the latest report (reports come in order from the transfer's own flow).</summary>
    private sealed class LastProgress : IProgress<TransferProgress>
    {
        public TransferProgress Last { get; private set; }

        public void Report(TransferProgress value) => Last = value;
    }
}

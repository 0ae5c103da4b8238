using System.Diagnostics;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Xunit.Abstractions;

namespace Coap.Engine.Tests.EndToEnd;

/// <summary>
/// Our CoapClient against our server over the in-memory network with the real clock: multi-MiB bodies moved
/// block by block (RFC 7959) in both directions and compared byte for byte. Nothing sleeps; each block is one
/// round trip through the thread pool.
/// </summary>
public sealed class BlockwiseEndToEndTests : IAsyncLifetime
{
    private const int SmallBlocksBody = 3 * 1024 * 1024;
    private const int LargeBlocksBody = 1024 * 1024;

    private readonly ITestOutputHelper _output;
    private readonly InMemoryNetwork _network = new();
    private CoapEndpoint? _server;

    public BlockwiseEndToEndTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(16, SmallBlocksBody)]
    [InlineData(1024, LargeBlocksBody)]
    public async Task Download_arrives_byte_for_byte(int blockSize, int length)
    {
        var body = RandomBody(length, seed: 1);
        var resource = new BodyStoreResource(body);
        await using var client = Start(resource, blockSize);

        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync(Uri).WaitAsync(TimeSpan.FromSeconds(60));
        _output.WriteLine($"GET {length} B in {blockSize}-byte blocks: {watch.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(length, response.Payload.Length);
        Assert.True(body.AsSpan().SequenceEqual(response.Payload.Span), "the downloaded body differs from the resource's");
        // One handler run per block: the server sliced every block from a fresh render of the same array.
        Assert.Equal(length / blockSize, resource.Gets);
        Assert.False(response.Options.Contains(OptionNumber.Block2));
    }

    [Theory]
    [InlineData(16, SmallBlocksBody)]
    [InlineData(1024, LargeBlocksBody)]
    public async Task Upload_arrives_byte_for_byte(int blockSize, int length)
    {
        var body = RandomBody(length, seed: 2);
        var resource = new BodyStoreResource([]);
        await using var client = Start(resource, blockSize);

        var watch = Stopwatch.StartNew();
        var response = await client.PutAsync(Uri, body, ContentFormat.OctetStream).WaitAsync(TimeSpan.FromSeconds(60));
        _output.WriteLine($"PUT {length} B in {blockSize}-byte blocks: {watch.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(length, resource.Body.Length);
        Assert.True(body.AsSpan().SequenceEqual(resource.Body), "the stored body differs from the uploaded one");
        Assert.Equal(new BlockValue(length / blockSize - 1, false, BlockValue.ExponentFor(blockSize)),
            BlockValue.TryDecode(response.Options.TryGet(OptionNumber.Block1, out var block1) ? block1.Value.Span : default, out var last) ? last : default);
    }

    private static string Uri => $"coap://127.0.0.1:{TestEndpoints.ServerAddress.Port}/data";

    private CoapClient Start(BodyStoreResource resource, int blockSize)
    {
        var tree = new ResourceTree();
        tree.Map("data", resource);
        (_server, _) = TestEndpoints.StartServer(tree, TimeProvider.System, new CoapEndpointOptions { MaxBlockSize = blockSize }, _network);
        return TestEndpoints.CreateClient(TimeProvider.System, _network, new CoapClientOptions
        {
            BlockSize = blockSize,
            Timeout = TimeSpan.FromSeconds(10),
            // RFC 7959 end to end, one handler run per block; Q-Block2 has its own tests (RelayQBlockTests).
            QBlock = new Coap.Engine.Blockwise.CoapQBlockOptions { Enabled = false },
        });
    }

    internal static byte[] RandomBody(int length, int seed)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return body;
    }
}

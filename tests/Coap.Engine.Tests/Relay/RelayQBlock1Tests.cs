using System.Diagnostics;
using System.Security.Cryptography;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Blockwise;
using Coap.Engine.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Coap.Engine.Tests.Relay;

/// <summary>
/// Q-Block1 (RFC 9177) between our client and an upload resource of our server through the impairment relay at 20 ms
/// each way: a 1 MiB PUT reaches the sink whole and in order at 0, 1, 10 and 30 % loss (lost blocks, lost 4.08 lists
/// and lost 2.31s are recovered without the window stalling for an RTO each); each upload has its own Request-Tag; a
/// server without Q-Block gets Block1.
/// </summary>
public sealed class RelayQBlock1Tests(ITestOutputHelper output) : RelayTestBase("up", seed: 9177)
{
    private readonly RecordingUploadResource _resource = new();

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.10)]
    [InlineData(0.30)]
    public async Task A_put_of_1_MiB_reaches_the_sink_with_the_same_bytes(double loss)
    {
        var body = BlockwiseEndToEndTests.RandomBody(Length, seed: 7);
        var client = Start(_resource, loss);
        await using var _ = client;
        var progress = new LastProgress();

        var watch = Stopwatch.StartNew();
        var response = await client.SendAsync(client.NewRequest(CoapCode.Put, body, null), ParsedUri, progress).WaitAsync(Bound);
        output.WriteLine($"Q-Block1 PUT 1 MiB at {loss:P0} loss: {watch.Elapsed.TotalSeconds:F1} s, {Relay.Dropped} dropped, {progress.Last.Retransmissions} blocks sent again, {response.Code}");

        Assert.Equal(CoapCode.Changed, response.Code);
        var sink = Assert.Single(_resource.Sinks);
        Assert.True(sink.Committed);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(sink.Body.ToArray()));
        Assert.True(_resource.Starts[0].Options.Contains(OptionNumber.QBlock1), "the upload did not go by Q-Block1");
        Assert.Equal(Length, progress.Last.BytesDone);
        if (loss > 0)
        {
            Assert.True(progress.Last.Retransmissions > 0, "no block was sent again at this loss");
        }
    }

    [Fact]
    public async Task Every_upload_has_a_request_tag_of_its_own()
    {
        var body = BlockwiseEndToEndTests.RandomBody(8 * 1024, seed: 8);
        var client = Start(_resource, 0);
        await using var _ = client;

        await client.SendAsync(client.NewRequest(CoapCode.Put, body, null), ParsedUri).WaitAsync(Bound);
        await client.SendAsync(client.NewRequest(CoapCode.Put, body, null), ParsedUri).WaitAsync(Bound);

        var tags = _resource.Starts.Select(r => Convert.ToHexString(r.Options.TryGet(OptionNumber.RequestTag, out var t) ? t.Value.Span : default)).ToList();
        Assert.Equal(2, tags.Count);
        Assert.All(tags, t => Assert.NotEmpty(t));
        Assert.NotEqual(tags[0], tags[1]);
        Assert.All(_resource.Sinks, s => Assert.True(s.Committed));
    }

    [Fact]
    public async Task A_server_without_q_block_gets_block1_and_is_remembered()
    {
        var body = BlockwiseEndToEndTests.RandomBody(64 * 1024, seed: 9);
        var client = Start(_resource, 0, serverQBlock: false);
        await using var _ = client;

        var response = await client.SendAsync(client.NewRequest(CoapCode.Put, body, null), ParsedUri).WaitAsync(Bound);

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.True(client.IsKnownWithoutQBlock(Relay.EndPoint));
        var sink = Assert.Single(_resource.Sinks);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(sink.Body.ToArray()));
        Assert.False(_resource.Starts[0].Options.Contains(OptionNumber.QBlock1));
    }
}

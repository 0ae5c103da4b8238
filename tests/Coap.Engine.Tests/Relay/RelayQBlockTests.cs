using System.Diagnostics;
using System.Security.Cryptography;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Coap.Engine.Tests.Relay;

/// <summary>
/// Q-Block2 (RFC 9177) between our client and our server through the impairment relay at 20 ms each way: a 1 MiB
/// download completes with the same bytes at every loss rate, lost blocks being asked for again; a server without
/// Q-Block gets plain block-wise.
/// </summary>
public sealed class RelayQBlockTests(ITestOutputHelper output) : RelayTestBase("data", seed: 9177)
{
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
        output.WriteLine($"Q-Block2 GET 1 MiB at {loss:P0} loss: {watch.Elapsed.TotalSeconds:F1} s, {Relay.Dropped} dropped, {progress.Last.Retransmissions} blocks asked again, {resource.Gets} block renders, {response.Code} {System.Text.Encoding.UTF8.GetString(response.Code.IsSuccess ? default : response.Payload.Span)}");

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(response.Payload.Span));
        Assert.False(response.Options.Contains(OptionNumber.QBlock2));
        Assert.False(client.IsKnownWithoutQBlock(Relay.EndPoint));
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
        Assert.True(client.IsKnownWithoutQBlock(Relay.EndPoint));
        var second = await client.GetAsync(Uri).WaitAsync(Bound);

        Assert.Equal(SHA256.HashData(body), SHA256.HashData(first.Payload.Span));
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(second.Payload.Span));
    }
}

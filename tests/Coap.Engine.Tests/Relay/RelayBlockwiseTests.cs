using System.Diagnostics;
using System.Security.Cryptography;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Coap.Engine.Tests.Relay;

/// <summary>
/// Plain block-wise (RFC 7959), CON, one block per round trip, through the impairment relay at 20 ms each way: the
/// transfer completes because lost blocks are retransmitted after the measured RTO rather than after ACK_TIMEOUT.
/// </summary>
public sealed class RelayBlockwiseTests(ITestOutputHelper output) : RelayTestBase("data", seed: 19)
{
    [Theory]
    [InlineData(0.01)]
    public async Task A_con_download_of_1_MiB_completes(double loss)
    {
        var body = BlockwiseEndToEndTests.RandomBody(Length, seed: 3);
        await using var client = Start(new BodyStoreResource(body), loss);

        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync(Uri).WaitAsync(Bound);
        output.WriteLine($"GET 1 MiB at {loss:P0} loss: {watch.Elapsed.TotalSeconds:F1} s, {Relay.Dropped} dropped");

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
        output.WriteLine($"PUT 1 MiB at {loss:P0} loss: {watch.Elapsed.TotalSeconds:F1} s, {Relay.Dropped} dropped");

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(resource.Body));
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Libcoap;

/// <summary>Our CoapClient's block-wise transfers (RFC 7959) and observations (RFC 7641) against libcoap's coap-server.</summary>
public sealed class OurClientBlockwiseAndObserveAgainstLibcoapTests
{
    private static byte[] RandomBody(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        return body;
    }

    private static async Task RoundTripAsync(int blockSize, int length)
    {
        await using var server = await LibcoapServer.StartAsync();
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10), BlockSize = blockSize });
        var body = RandomBody(length);
        var clock = Stopwatch.StartNew();

        var put = await client.PutAsync(server.Uri("example_data"), body, ContentFormat.OctetStream);
        var get = await client.GetAsync(server.Uri("example_data"));

        Assert.True(put.Code.IsSuccess, $"PUT answered {put.Code.Describe()}");
        Assert.Equal(CoapCode.Content, get.Code);
        Assert.False(get.Options.Contains(OptionNumber.Block2));
        Assert.Equal(length, get.Payload.Length);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Convert.ToHexString(SHA256.HashData(get.Payload.Span)));
        // Catches transfers that stall on retransmissions (each waits 2 s or more, over thousands of blocks), not
        // speed: 4096 16-byte blocks each way took 1 s idle and 23 s beside other test runs on two busy cores.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"took {clock.Elapsed}");
    }

    [Fact]
    public Task One_mebibyte_put_then_get_is_byte_identical() => RoundTripAsync(1024, 1 << 20);

    [Fact]
    public Task Sixteen_byte_blocks_put_then_get_is_byte_identical() => RoundTripAsync(16, 64 << 10);

    [Fact]
    public async Task Observing_time_yields_increasing_notifications_until_cancelled()
    {
        await using var server = await LibcoapServer.StartAsync();
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var numbers = new List<int>();

        await foreach (var notification in client.ObserveAsync(server.Uri("time"), stop.Token))
        {
            Assert.Equal(CoapCode.Content, notification.Code);
            numbers.Add(notification.Observe ?? -1);
            if (numbers.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(3, numbers.Count);
        Assert.True(numbers[0] >= 0 && numbers[1] > numbers[0] && numbers[2] > numbers[1], string.Join(",", numbers));

        // After deregistration a plain GET still works and the client is quiet: no exchange is left open.
        var time = await client.GetAsync(server.Uri("time"));
        Assert.Equal(CoapCode.Content, time.Code);
        Assert.Null(time.Observe);
    }
}

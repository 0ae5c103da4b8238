using System.Security.Cryptography;
using Coap.Engine.Blockwise;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Services.Proxy.Tests;

/// <summary>Block-wise transfers through the proxy (RFC 7959): the proxy moves whole bodies upstream and serves blocks.</summary>
public sealed class BlockwiseTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_1_MiB_Block2_resource_arrives_whole_through_the_proxy()
    {
        var body = RandomNumberGenerator.GetBytes(1024 * 1024);
        await using var harness = ProxyHarness.Start(tree => tree.Map("big", new TestResource(_ =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, body, ContentFormat.OctetStream)))));

        var response = await harness.ForwardAsync(CoapCode.Get, "big").WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Convert.ToHexString(SHA256.HashData(response.Payload.Span)));
    }

    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public async Task A_client_fetching_block_by_block_costs_the_upstream_one_whole_fetch_with_the_cache_on_or_off(string cache)
    {
        var body = RandomNumberGenerator.GetBytes(8 * 1024);
        var wholeFetches = 0;
        await using var harness = ProxyHarness.Start(
            tree => tree.Map("big", new TestResource(context =>
            {
                if (!LaterBlock(context.Request, OptionNumber.Block2) && !LaterBlock(context.Request, OptionNumber.QBlock2))
                {
                    Interlocked.Increment(ref wholeFetches);
                }

                // Max-Age 0: not cacheable, so the cache (when on) does not hold it either.
                var response = CoapMessage.CreateResponse(CoapCode.Content, body, ContentFormat.OctetStream);
                response.MaxAge = 0;
                return ValueTask.FromResult(response);
            })),
            new Dictionary<string, string?> { ["Modules:Proxy:Cache"] = cache });

        // RFC 7959 only, 256-byte blocks: 32 requests to the proxy, each a Block2 request the engine serves by slicing.
        await using var client = new CoapClient(new CoapClientOptions { BlockSize = 256, QBlock = new CoapQBlockOptions { Enabled = false } });
        var response = await client.SendAsync(harness.ForwardRequest(CoapCode.Get, "big"), harness.ProxyEndPoint).WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Convert.ToHexString(SHA256.HashData(response.Payload.Span)));
        Assert.Equal(1, Volatile.Read(ref wholeFetches));
        Assert.Equal(0, harness.Proxy.Services.GetRequiredService<TransferBodies>().Bytes);
    }

    [Fact]
    public async Task A_representation_beyond_MaxBodySize_is_5_02_not_held()
    {
        var body = new byte[64 * 1024];
        await using var harness = ProxyHarness.Start(tree => tree.Map("huge", new TestResource(_ =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, body)))), new Dictionary<string, string?> { ["Modules:Proxy:MaxBodySize"] = "16384" });

        var response = await harness.ForwardAsync(CoapCode.Get, "huge").WaitAsync(Bound);

        Assert.Equal(CoapCode.BadGateway, response.Code);
        Assert.Contains("16384", System.Text.Encoding.UTF8.GetString(response.Payload.Span), StringComparison.Ordinal);
    }

    private static bool LaterBlock(CoapMessage request, ushort number) =>
        request.Options.TryGet(number, out var option) && BlockValue.TryDecode(option.Value.Span, out var block) && block.Number > 0;

    [Fact]
    public async Task A_Block1_upload_is_forwarded_whole()
    {
        var body = RandomNumberGenerator.GetBytes(100 * 1024);
        byte[]? received = null;
        await using var harness = ProxyHarness.Start(tree => tree.Map("up", new TestResource(context =>
        {
            received = context.Request.Payload.ToArray();
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
        })));
        await using var client = new CoapClient(new CoapClientOptions { BlockSize = 256 });

        var response = await client.SendAsync(harness.ForwardRequest(CoapCode.Put, "up", body), harness.ProxyEndPoint).WaitAsync(Bound);

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Convert.ToHexString(SHA256.HashData(received!)));
    }
}

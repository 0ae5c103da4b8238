using System.Security.Cryptography;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Libcoap;

/// <summary>
/// libcoap 4.3.1's coap-server has no Q-Block (RFC 9177): our client's Q-Block2 request after the first block, and the
/// CON block 0 of a Q-Block1 upload, are answered 4.02, and the transfer goes on with RFC 7959 block-wise and completes.
/// </summary>
public sealed class QBlockFallbackAgainstLibcoapTests
{
    [Fact]
    public async Task A_large_download_falls_back_to_block_wise_and_completes()
    {
        await using var server = await LibcoapServer.StartAsync();
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        await using var uploader = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10), QBlock = new() { Enabled = false } });
        var body = new byte[256 * 1024];
        new Random(9177).NextBytes(body);
        Assert.True((await uploader.PutAsync(server.Uri("example_data"), body, ContentFormat.OctetStream)).Code.IsSuccess);

        var get = await client.GetAsync(server.Uri("example_data")).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(CoapCode.Content, get.Code);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(get.Payload.Span));
        Assert.True(client.IsKnownWithoutQBlock(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port)), "the client did not try Q-Block2, or libcoap accepted it");
    }

    [Fact]
    public async Task A_large_upload_falls_back_to_block1_and_completes()
    {
        await using var server = await LibcoapServer.StartAsync();
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        await using var reader = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10), QBlock = new() { Enabled = false } });
        var body = new byte[256 * 1024];
        new Random(9178).NextBytes(body);

        var put = await client.PutAsync(server.Uri("example_data"), body, ContentFormat.OctetStream).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(put.Code.IsSuccess, put.ToString());
        Assert.True(client.IsKnownWithoutQBlock(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port)), "the client did not try Q-Block1, or libcoap accepted it");
        var get = await reader.GetAsync(server.Uri("example_data")).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(get.Payload.Span));
    }
}

using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Libcoap;

/// <summary>Our CoapClient talks to libcoap's coap-server over real UDP on loopback.</summary>
public sealed class OurClientAgainstLibcoapServerTests
{
    [Fact]
    public async Task Get_time_and_put_then_get_example_data()
    {
        await using var server = await LibcoapServer.StartAsync();
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        var data = $"from-dotnet-{Guid.NewGuid():N}";

        var time = await client.GetAsync(server.Uri("time"));
        var put = await client.PutAsync(server.Uri("example_data"), Encoding.UTF8.GetBytes(data), ContentFormat.TextPlain);
        var get = await client.GetAsync(server.Uri("example_data"));

        Assert.Equal(CoapCode.Content, time.Code);
        Assert.False(time.Payload.IsEmpty);
        Assert.True(put.Code.IsSuccess, $"PUT answered {put.Code.Describe()}");
        Assert.Equal(CoapCode.Content, get.Code);
        Assert.Equal(data, Encoding.UTF8.GetString(get.Payload.Span));
    }

    [Fact]
    public async Task Non_request_and_unknown_path()
    {
        await using var server = await LibcoapServer.StartAsync();
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10), NonConfirmable = true });

        var time = await client.GetAsync(server.Uri("time"));
        var missing = await client.GetAsync(server.Uri("no/such/resource"));

        Assert.Equal(CoapCode.Content, time.Code);
        Assert.Equal(CoapCode.NotFound, missing.Code);
    }
}

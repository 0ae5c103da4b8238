using System.Globalization;
using System.Text;
using Coap.Engine.Protocol;
using Coap.Testing;
using Coap.Testing.Programs;

namespace Services.Proxy.Tests;

/// <summary>The proxy between real libcoap peers: libcoap's client through it, and our client through it to libcoap's server.</summary>
public sealed class InteropTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Libcoap_client_reaches_libcoap_server_through_the_proxy()
    {
        await using var device = await LibcoapServer.StartAsync();
        await using var harness = ProxyHarness.Start(_ => { });

        var result = await Tool.RunAsync("coap-client-notls",
            ["-B", "20", "-P", $"coap://127.0.0.1:{harness.Proxy.Port.ToString(CultureInfo.InvariantCulture)}", device.Uri("time")], Bound);

        // libcoap's /time answers with the server's clock as text ("Dec 02 05:18:46").
        Assert.Matches(@"\d\d:\d\d:\d\d", result.StandardOutput);
    }

    [Fact]
    public async Task Our_client_reaches_libcoap_server_through_the_proxy_by_Proxy_Uri_and_by_route()
    {
        await using var device = await LibcoapServer.StartAsync();
        await using var harness = ProxyHarness.Start(_ => { }, new Dictionary<string, string?>
        {
            ["Modules:Proxy:Routes:lib"] = $"coap://127.0.0.1:{device.Port.ToString(CultureInfo.InvariantCulture)}",
        });
        var request = harness.Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, device.Uri("time")));

        var forwarded = await harness.SendAsync(request).WaitAsync(Bound);
        var routed = await harness.Client.GetAsync(harness.Proxy.Uri("dev/lib/.well-known/core")).WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, forwarded.Code);
        Assert.Matches(@"\d\d:\d\d:\d\d", Encoding.UTF8.GetString(forwarded.Payload.Span));
        Assert.Equal(CoapCode.Content, routed.Code);
        Assert.Contains("</time>", Encoding.UTF8.GetString(routed.Payload.Span), StringComparison.Ordinal);
    }
}

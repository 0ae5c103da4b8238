using System.Net;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>
/// OSCORE through the proxy (RFC 8613 §2, §4.1.3.3): the client splits the Proxy-Uri it was given, so that the
/// protected request names its upstream in Proxy-Scheme, Uri-Host and Uri-Port and carries its path encrypted; the
/// proxy forwards it untouched, even when the proxy's server has
/// OSCORE contexts of its own, and the upstream's protected answer comes back to the client, which verifies it.
/// </summary>
public sealed class OscorePassThroughTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly byte[] Secret = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");

    [Fact]
    public async Task A_protected_request_passes_a_proxy_with_contexts_of_its_own_untouched_to_its_upstream()
    {
        var secret = new TestResource(context => ValueTask.FromResult(CoapMessage.CreateResponse(
            context.Identity == "sensor" ? CoapCode.Content : CoapCode.Unauthorized, Encoding.UTF8.GetBytes("for the sensor only"))));
        var tree = new ResourceTree();
        tree.Map("secret", secret);
        var upstreamContexts = new OscoreContextTable();
        upstreamContexts.Add("sensor", new OscoreSecurityContext(new OscoreContextParameters(Secret, [0x01], [0x02])));
        await using var upstream = TestEndpoints.StartUdpServer(tree, oscore: upstreamContexts);
        var proxyContexts = new OscoreContextTable();
        proxyContexts.Add("gateway-admin", new OscoreSecurityContext(new OscoreContextParameters(Convert.FromHexString("ffeeddccbbaa99887766554433221100"), [0x11], [0x12])));
        await using var proxy = new UdpModuleServer(new ProxyModule(), new Dictionary<string, string?> { ["Modules:Proxy:Identity"] = "gw-test" }, oscore: proxyContexts);
        await using var client = new CoapClient(new CoapClientOptions
        {
            Timeout = Bound,
            Oscore = new OscoreSecurityContext(new OscoreContextParameters(Secret, [0x02], [0x01])),
        });
        var request = client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, $"coap://127.0.0.1:{upstream.LocalEndPoints[0].Port}/secret"));

        var response = await client.SendAsync(request, new IPEndPoint(IPAddress.Loopback, proxy.Port)).WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("for the sensor only", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.Equal(1, secret.Calls);
    }
}

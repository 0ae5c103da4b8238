using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>Who may use the proxy: loopback peers by default, anonymous others only with Modules:Proxy:AllowRemote.</summary>
public sealed class AccessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(false, "4.03")]
    [InlineData(true, "2.05")]
    public async Task An_anonymous_peer_off_loopback_is_refused_unless_remote_use_is_allowed(bool allowRemote, string expected)
    {
        var address = NonLoopbackAddress();
        Assert.NotNull(address);
        await using var harness = ProxyHarness.Start(tree => tree.Map("hello", TestResource.Text("hi")), new Dictionary<string, string?>
        {
            ["Modules:Proxy:AllowRemote"] = allowRemote ? "true" : "false",
        });

        // The proxy's tree served again on this host's own non-loopback address: a request to it comes from that address.
        await using var outside = TestEndpoints.StartServer(harness.Proxy.Tree, UdpTransport.Bind(new IPEndPoint(address, 0)));
        await using var client = new CoapClient();
        var response = await client.SendAsync(harness.ForwardRequest(CoapCode.Get, "hello"), outside.LocalEndPoints[0]).WaitAsync(Bound);
        var local = await harness.ForwardAsync(CoapCode.Get, "hello").WaitAsync(Bound);

        Assert.Equal(expected, response.Code.ToString());
        Assert.Equal(CoapCode.Content, local.Code);
    }

    private static IPAddress? NonLoopbackAddress()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }

        return null;
    }
}

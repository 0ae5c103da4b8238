using System.Net;
using System.Net.Sockets;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.DependencyInjection;

namespace CoapHost.Tests;

public sealed class DualStackTests
{
    [Fact]
    public async Task Wildcard_address_answers_on_ipv4_and_ipv6_loopback_from_the_address_asked()
    {
        await using var host = await HostFixture.StartAsync("--Coap:Address=::");
        var endPoints = host.Host.Services.GetRequiredService<CoapServer>().LocalEndPoints;
        var port = endPoints[0].Port;
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });

        Assert.Contains(endPoints, e => e.Address.Equals(IPAddress.Loopback));
        Assert.All(endPoints, e => Assert.Equal(port, e.Port));
        var v4 = await client.GetAsync($"coap://127.0.0.1:{port}/.well-known/core");
        Assert.Equal(CoapCode.Content, v4.Code);
        if (endPoints.Any(e => e.Address.Equals(IPAddress.IPv6Loopback)))
        {
            var v6 = await client.GetAsync($"coap://[::1]:{port}/.well-known/core");
            Assert.Equal(CoapCode.Content, v6.Code);
        }
        else
        {
            Assert.False(Socket.OSSupportsIPv6 && HasIPv6Loopback(), "::1 exists but was not bound");
        }
    }

    private static bool HasIPv6Loopback() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.Equals(IPAddress.IPv6Loopback));
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Transport;
using Coap.Testing;

namespace Coap.Engine.Tests.Transport;

/// <summary>
/// What a resource sees as the requester's address on real sockets: an IPv4 client through a dual-mode [::] socket
/// is IPv4 (not ::ffff:127.0.0.1); a socket bound to a specific IPv6 address is not dual mode, so nothing on it is
/// presented as IPv4.
/// </summary>
public sealed class DualModeTests
{
    private readonly ConcurrentQueue<IPEndPoint> _seen = new();

    [Fact]
    public async Task An_ipv4_client_through_a_dual_mode_socket_is_presented_as_ipv4()
    {
        await using var server = Start(new IPEndPoint(IPAddress.IPv6Any, 0), out var transport);
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });

        var response = await client.GetAsync($"coap://127.0.0.1:{transport.LocalEndPoint.Port}/who");

        Assert.True(transport.DualMode);
        Assert.Equal(CoapCode.Content, response.Code);
        var seen = Assert.Single(_seen);
        Assert.Equal(AddressFamily.InterNetwork, seen.AddressFamily);
        Assert.Equal(IPAddress.Loopback, seen.Address);
    }

    [Fact]
    public async Task A_socket_on_a_specific_ipv6_address_is_not_dual_mode_and_keeps_ipv6_peers_as_they_are()
    {
        await using var server = Start(new IPEndPoint(IPAddress.IPv6Loopback, 0), out var transport);
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });

        var response = await client.GetAsync($"coap://[::1]:{transport.LocalEndPoint.Port}/who");

        Assert.False(transport.DualMode);
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(IPAddress.IPv6Loopback, Assert.Single(_seen).Address);
    }

    private CoapEndpoint Start(IPEndPoint bind, out UdpTransport transport)
    {
        var tree = new ResourceTree();
        tree.Map("who", new TestResource(context =>
        {
            _seen.Enqueue(context.RemoteEndPoint);
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
        }));
        var options = new CoapEndpointOptions();
        var endpoint = new CoapEndpoint(options, sender => new CoapServerPipeline(tree, null, options, TimeProvider.System, sender), TimeProvider.System, new Random(), null);
        transport = UdpTransport.Bind(bind);
        endpoint.Attach(transport);
        return endpoint;
    }
}

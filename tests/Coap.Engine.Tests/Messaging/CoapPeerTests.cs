using System.Net;
using Coap.Engine.Messaging;
using Coap.Testing;

namespace Coap.Engine.Tests.Messaging;

public sealed class CoapPeerTests
{
    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1:5683")]
    [InlineData("127.0.0.1", "127.0.0.1:5683")]
    [InlineData("::1", "[::1]:5683")]
    public async Task An_ipv4_peer_behind_a_dual_stack_socket_is_named_as_ipv4(string address, string expected)
    {
        await using var transport = new InMemoryTransport(new IPEndPoint(IPAddress.IPv6Loopback, 50000));

        var peer = new CoapPeer(transport, new IPEndPoint(IPAddress.Parse(address), 5683).Serialize());

        Assert.Equal(expected, peer.ToString());
    }
}

using System.Net;
using Coap.Engine.Messaging;
using Coap.Testing;

namespace Coap.Engine.Tests.Messaging;

public sealed class CoapPeerTests
{
    [Theory]
    [InlineData("::ffff:127.0.0.1", true, "127.0.0.1:5683")]
    [InlineData("::ffff:127.0.0.1", false, "[::ffff:127.0.0.1]:5683")]
    [InlineData("127.0.0.1", false, "127.0.0.1:5683")]
    [InlineData("::1", true, "[::1]:5683")]
    public async Task An_ipv4_peer_behind_a_dual_stack_socket_is_named_and_presented_as_ipv4_and_only_there(string address, bool dualMode, string expected)
    {
        await using var transport = new InMemoryTransport(new IPEndPoint(IPAddress.IPv6Loopback, 50000)) { DualMode = dualMode };

        var peer = new CoapPeer(transport, new IPEndPoint(IPAddress.Parse(address), 5683).Serialize());

        Assert.Equal(expected, peer.ToString());
        Assert.Equal(expected, peer.EndPoint.ToString());
    }
}

using System.Text;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Messaging;

public sealed class MessageManagerTests
{
    [Fact]
    public async Task Con_request_gets_piggybacked_ack_with_same_mid_and_token()
    {
        await using var server = new ServerFixture(t => t.Map("hello", TestResource.Text("world")));

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "hello", 0x1234));

        var reply = server.Peer.Expect();
        Assert.Equal(CoapMessageType.Acknowledgement, reply.Type);
        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.Equal(0x1234, reply.MessageId);
        Assert.Equal(CoapToken.FromUInt64(0xCAFE, 2), reply.Token);
        Assert.Equal("world", Encoding.UTF8.GetString(reply.Payload.Span));
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Non_request_is_answered_with_non()
    {
        await using var server = new ServerFixture(t => t.Map("hello", TestResource.Text("world")));

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "hello", 0x0100, CoapMessageType.NonConfirmable));

        var reply = server.Peer.Expect();
        Assert.Equal(CoapMessageType.NonConfirmable, reply.Type);
        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.Equal(CoapToken.FromUInt64(0xCAFE, 2), reply.Token);
    }

    [Fact]
    public async Task Duplicate_con_replays_the_cached_reply_without_running_the_handler_again()
    {
        var resource = TestResource.Text("once");
        await using var server = new ServerFixture(t => t.Map("r", resource));
        var request = ServerFixture.Request(CoapCode.Post, "r", 77);

        server.Peer.Send(request);
        var first = CoapMessageWriter.ToArray(server.Peer.Expect());
        server.Peer.Send(request);
        var second = CoapMessageWriter.ToArray(server.Peer.Expect());

        Assert.Equal(1, resource.Calls);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Duplicate_non_is_not_processed_twice()
    {
        var resource = TestResource.Text("once");
        await using var server = new ServerFixture(t => t.Map("r", resource));
        var request = ServerFixture.Request(CoapCode.Post, "r", 78, CoapMessageType.NonConfirmable);

        server.Peer.Send(request);
        server.Peer.Send(request);

        Assert.Equal(1, resource.Calls);
    }

    [Fact]
    public async Task Same_mid_from_another_peer_is_not_a_duplicate()
    {
        var resource = TestResource.Text("x");
        await using var server = new ServerFixture(t => t.Map("r", resource));
        var other = new LockstepPeer(server.Transport, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40001));

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "r", 5));
        other.Send(ServerFixture.Request(CoapCode.Get, "r", 5));

        Assert.Equal(2, resource.Calls);
        Assert.Equal(CoapCode.Content, server.Peer.Expect().Code);
        Assert.Equal(CoapCode.Content, other.Expect().Code);
    }

    [Fact]
    public async Task Empty_con_ping_is_answered_with_rst()
    {
        await using var server = new ServerFixture(_ => { });

        server.Peer.SendRaw([0x40, 0x00, 0xAB, 0xCD]);

        var reply = server.Peer.Expect();
        Assert.Equal(CoapMessageType.Reset, reply.Type);
        Assert.Equal(0xABCD, reply.MessageId);
        Assert.True(reply.IsEmpty);
    }

    [Fact]
    public async Task Empty_non_is_ignored()
    {
        await using var server = new ServerFixture(_ => { });

        server.Peer.SendRaw([0x50, 0x00, 0x00, 0x01]);

        server.Peer.ExpectNothing();
    }

    [Theory]
    [InlineData(new byte[] { 0x49, 0x01, 0x00, 0x07, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(new byte[] { 0x40, 0x01, 0x00, 0x07, 0xF1, 0x00 })]
    [InlineData(new byte[] { 0x40, 0x01, 0x00, 0x07, 0xFF })]
    [InlineData(new byte[] { 0x40, 0x01, 0x00, 0x07, 0xD1 })]
    [InlineData(new byte[] { 0x40, 0x01, 0x00, 0x07, 0x03, 0x61 })]
    [InlineData(new byte[] { 0x40, 0x00, 0x00, 0x07, 0xFF, 0x01 })]
    public async Task Malformed_con_is_rejected_with_rst(byte[] datagram)
    {
        await using var server = new ServerFixture(_ => { });

        server.Peer.SendRaw(datagram);

        var reply = server.Peer.Expect();
        Assert.Equal(CoapMessageType.Reset, reply.Type);
        Assert.Equal(7, reply.MessageId);
    }

    [Theory]
    [InlineData(new byte[] { 0x59, 0x01, 0x00, 0x07, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [InlineData(new byte[] { 0x50, 0x01, 0x00, 0x07, 0xFF })]
    [InlineData(new byte[] { 0x80, 0x01, 0x00, 0x07 })]
    [InlineData(new byte[] { 0x40, 0x01 })]
    [InlineData(new byte[] { 0x60, 0x45, 0x00, 0x07, 0xFF })]
    public async Task Malformed_non_ack_wrong_version_or_short_datagram_is_dropped(byte[] datagram)
    {
        await using var server = new ServerFixture(_ => { });

        server.Peer.SendRaw(datagram);

        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Reserved_code_class_on_con_is_reset()
    {
        await using var server = new ServerFixture(_ => { });

        server.Peer.SendRaw([0x40, 0x21, 0x00, 0x09]);

        Assert.Equal(CoapMessageType.Reset, server.Peer.Expect().Type);
    }

    [Fact]
    public async Task Unexpected_ack_and_rst_are_ignored()
    {
        await using var server = new ServerFixture(_ => { });

        server.Peer.SendRaw([0x60, 0x00, 0x00, 0x09]);
        server.Peer.SendRaw([0x70, 0x00, 0x00, 0x0A]);

        server.Peer.ExpectNothing();
    }
}

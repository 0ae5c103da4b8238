using Coap.Engine.Codec;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Exchanges;

public sealed class SeparateResponseTests
{
    private readonly TaskCompletionSource<CoapMessage> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Slow_handler_gets_empty_ack_then_a_con_response_that_is_retransmitted_until_acked()
    {
        var resource = new TestResource(_ => new ValueTask<CoapMessage>(_answer.Task));
        await using var server = new ServerFixture(t => t.Map("slow", resource));
        var separateAfter = new CoapEndpointOptions().SeparateResponseAfter;

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "slow", 0x0042));
        server.Peer.ExpectNothing();
        server.Time.Advance(separateAfter);

        var ack = server.Peer.Expect();
        Assert.Equal(CoapMessageType.Acknowledgement, ack.Type);
        Assert.True(ack.IsEmpty);
        Assert.Equal(0x0042, ack.MessageId);

        _answer.SetResult(CoapMessage.CreateResponse(CoapCode.Content, "late"u8.ToArray()));
        var response = await server.Peer.ExpectAsync();
        Assert.Equal(CoapMessageType.Confirmable, response.Type);
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(CoapToken.FromUInt64(0xCAFE, 2), response.Token);
        Assert.NotEqual(0x0042, response.MessageId);

        server.Time.Advance(TimeSpan.FromSeconds(3));
        var retransmission = server.Peer.Expect();
        Assert.Equal(CoapMessageWriter.ToArray(response), CoapMessageWriter.ToArray(retransmission));

        server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, response.MessageId));
        server.Time.Advance(TimeSpan.FromSeconds(100));
        server.Peer.ExpectNothing();
        Assert.Equal(1, resource.Calls);
    }

    [Fact]
    public async Task Duplicate_request_after_the_empty_ack_gets_the_empty_ack_again()
    {
        var resource = new TestResource(_ => new ValueTask<CoapMessage>(_answer.Task));
        await using var server = new ServerFixture(t => t.Map("slow", resource));
        var request = ServerFixture.Request(CoapCode.Get, "slow", 9);

        server.Peer.Send(request);
        server.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(server.Peer.Expect().IsEmpty);
        server.Peer.Send(request);

        var replay = server.Peer.Expect();
        Assert.Equal(CoapMessageType.Acknowledgement, replay.Type);
        Assert.True(replay.IsEmpty);
        Assert.Equal(1, resource.Calls);
        _answer.SetResult(CoapMessage.CreateResponse(CoapCode.Content));
        Assert.Equal(CoapMessageType.Confirmable, (await server.Peer.ExpectAsync()).Type);
    }

    [Fact]
    public async Task Handler_answering_before_the_deadline_is_piggybacked()
    {
        var resource = new TestResource(_ => new ValueTask<CoapMessage>(_answer.Task));
        await using var server = new ServerFixture(t => t.Map("slow", resource));

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "slow", 10));
        server.Time.Advance(TimeSpan.FromMilliseconds(500));
        _answer.SetResult(CoapMessage.CreateResponse(CoapCode.Content));

        var reply = await server.Peer.ExpectAsync();
        Assert.Equal(CoapMessageType.Acknowledgement, reply.Type);
        Assert.Equal(10, reply.MessageId);
        server.Time.Advance(TimeSpan.FromSeconds(2));
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Separate_response_reset_by_the_client_is_not_retransmitted()
    {
        var resource = new TestResource(_ => new ValueTask<CoapMessage>(_answer.Task));
        await using var server = new ServerFixture(t => t.Map("slow", resource));

        var response = await SeparateResponseAsync(server, 11);
        server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Reset, response.MessageId));

        server.Time.Advance(TimeSpan.FromSeconds(100));
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Unacknowledged_separate_response_gives_up_after_max_retransmit()
    {
        var resource = new TestResource(_ => new ValueTask<CoapMessage>(_answer.Task));
        await using var server = new ServerFixture(t => t.Map("slow", resource));

        await SeparateResponseAsync(server, 12);

        var retransmissions = 0;
        for (var step = 0; step < 1000; step++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            while (server.Transport.TryTake(out _))
            {
                retransmissions++;
            }
        }

        Assert.Equal(4, retransmissions);
    }

    /// <summary>A GET to the slow resource answered the separate way: the empty ACK, then the response as CON.</summary>
    private async Task<CoapMessage> SeparateResponseAsync(ServerFixture server, ushort mid)
    {
        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "slow", mid));
        server.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(server.Peer.Expect().IsEmpty);
        _answer.SetResult(CoapMessage.CreateResponse(CoapCode.Content));
        var response = await server.Peer.ExpectAsync();
        Assert.Equal(CoapMessageType.Confirmable, response.Type);
        return response;
    }
}

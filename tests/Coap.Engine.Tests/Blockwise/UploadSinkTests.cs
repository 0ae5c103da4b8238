using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Tests.Blockwise;

public sealed class UploadSinkTests
{
    [Fact]
    public async Task The_sink_receives_the_blocks_in_order_and_is_committed()
    {
        var resource = new RecordingUploadResource();
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        var body = BlockwiseFixture.RandomBytes(150);

        var replies = new List<CoapMessage>();
        for (var number = 0; number < 3; number++)
        {
            replies.Add(server.Upload(CoapCode.Put, "up", body, number, 2));
        }

        var sink = Assert.Single(resource.Sinks);
        Assert.Equal([0L, 64L, 128L], sink.Offsets);
        Assert.Equal(body, sink.Body.ToArray());
        Assert.True(sink.Committed);
        Assert.False(sink.Aborted);
        Assert.Equal(CoapCode.Continue, replies[1].Code);
        Assert.Equal(CoapCode.Changed, replies[2].Code);
        Assert.Equal(new BlockValue(2, false, 2), BlockwiseFixture.BlockOf(replies[2], OptionNumber.Block1));
        Assert.Equal(0, server.Block1.PendingBytes);
    }

    [Fact]
    public async Task The_sink_is_aborted_when_the_upload_is_abandoned()
    {
        var resource = new RecordingUploadResource();
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        var body = BlockwiseFixture.RandomBytes(150);
        server.Upload(CoapCode.Put, "up", body, 0, 2);
        var sink = Assert.Single(resource.Sinks);

        server.Time.Advance(server.Options.Transmission.ExchangeLifetime - TimeSpan.FromSeconds(1));
        Assert.False(sink.Aborted);
        server.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(sink.Aborted);
        Assert.False(sink.Committed);
        Assert.Equal(0, server.Block1.PendingUploads);
    }

    [Fact]
    public async Task The_sink_is_aborted_on_a_gap()
    {
        var resource = new RecordingUploadResource();
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        var body = BlockwiseFixture.RandomBytes(200);
        server.Upload(CoapCode.Put, "up", body, 0, 2);

        var reply = server.Upload(CoapCode.Put, "up", body, 2, 2);

        Assert.Equal(CoapCode.RequestEntityIncomplete, reply.Code);
        Assert.True(Assert.Single(resource.Sinks).Aborted);
    }

    [Fact]
    public async Task A_restart_from_block_0_aborts_the_old_sink()
    {
        var resource = new RecordingUploadResource();
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        var body = BlockwiseFixture.RandomBytes(200);
        server.Upload(CoapCode.Put, "up", body, 0, 2);

        server.Upload(CoapCode.Put, "up", body, 0, 2);

        Assert.Equal(2, resource.Sinks.Count);
        Assert.True(resource.Sinks[0].Aborted);
        Assert.False(resource.Sinks[1].Aborted);
    }

    [Fact]
    public async Task A_request_without_Block1_goes_to_the_handler()
    {
        var resource = new RecordingUploadResource();
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        var request = server.Request(CoapCode.Put, "up");
        request.Payload = new byte[] { 1, 2, 3 };

        Assert.Equal(CoapCode.Changed, server.Exchange(request).Code);
        Assert.Empty(resource.Sinks);
    }

    [Fact]
    public async Task A_sink_refusing_at_the_start_answers_block_0_and_is_aborted()
    {
        var resource = new RecordingUploadResource { RefuseWith = CoapMessage.CreateResponse(CoapCode.PreconditionFailed) };
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        var body = BlockwiseFixture.RandomBytes(150);

        var reply = server.Upload(CoapCode.Put, "up", body, 0, 2);

        Assert.Equal(CoapCode.PreconditionFailed, reply.Code);
        var sink = Assert.Single(resource.Sinks);
        Assert.True(sink.Aborted);
        Assert.Empty(sink.Offsets);
        Assert.Equal(0, server.Block1.PendingUploads);
        Assert.Equal(CoapCode.RequestEntityIncomplete, server.Upload(CoapCode.Put, "up", body, 1, 2).Code);
    }

    [Fact]
    public async Task A_sink_refusing_after_a_write_answers_that_block_and_is_aborted()
    {
        var resource = new RecordingUploadResource { Limit = 100 };
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        var body = BlockwiseFixture.RandomBytes(200);

        Assert.Equal(CoapCode.Continue, server.Upload(CoapCode.Put, "up", body, 0, 2).Code);
        var reply = server.Upload(CoapCode.Put, "up", body, 1, 2);

        Assert.Equal(CoapCode.RequestEntityTooLarge, reply.Code);
        var sink = Assert.Single(resource.Sinks);
        Assert.True(sink.Aborted);
        Assert.False(sink.Committed);
        Assert.Equal(0, server.Block1.PendingUploads);
    }
}

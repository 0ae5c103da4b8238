using System.Text;
using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Blockwise;

public sealed class Block2Tests
{
    private static readonly byte[] Representation = BlockwiseFixture.RandomBytes(2500);

    private static BlockwiseFixture Server(Action<Coap.Engine.Messaging.CoapEndpointOptions>? configure = null) =>
        new(t =>
        {
            t.Map("big", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Representation, ContentFormat.OctetStream))));
            t.Map("small", TestResource.Text("tiny"));
        }, configure);

    [Fact]
    public async Task Large_response_goes_as_block_0_with_Size2_ETag_and_more_flag()
    {
        await using var server = Server();

        var reply = server.Get("big");

        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.Equal(new BlockValue(0, true, 6), BlockwiseFixture.BlockOf(reply, OptionNumber.Block2));
        Assert.Equal(2500u, reply.Options.GetUInt(OptionNumber.Size2));
        Assert.True(reply.Options.TryGet(OptionNumber.ETag, out var etag));
        Assert.Equal(8, etag.Value.Length);
        Assert.Equal(ContentFormat.OctetStream, reply.ContentFormat);
        Assert.Equal(Representation.AsSpan(0, 1024), reply.Payload.Span);
    }

    [Fact]
    public async Task Every_block_carries_the_same_ETag_and_only_the_last_clears_M()
    {
        await using var server = Server();

        var replies = new[] { server.Get("big", new BlockValue(0, false, 6)), server.Get("big", new BlockValue(1, false, 6)), server.Get("big", new BlockValue(2, false, 6)) };

        var etag = replies[0].Options.TryGet(OptionNumber.ETag, out var first) ? first.Value.ToArray() : null;
        Assert.NotNull(etag);
        foreach (var reply in replies)
        {
            Assert.True(reply.Options.TryGet(OptionNumber.ETag, out var tag));
            Assert.Equal(etag, tag.Value.ToArray());
        }

        Assert.True(BlockwiseFixture.BlockOf(replies[1], OptionNumber.Block2).More);
        Assert.Equal(new BlockValue(2, false, 6), BlockwiseFixture.BlockOf(replies[2], OptionNumber.Block2));
        Assert.Null(replies[1].Options.GetUInt(OptionNumber.Size2));
        Assert.Equal(Representation.AsSpan(2048), replies[2].Payload.Span);
    }

    [Fact]
    public async Task Early_negotiation_honours_a_smaller_size()
    {
        await using var server = Server();

        var reply = server.Get("big", new BlockValue(0, false, 2));

        Assert.Equal(new BlockValue(0, true, 2), BlockwiseFixture.BlockOf(reply, OptionNumber.Block2));
        Assert.Equal(Representation.AsSpan(0, 64), reply.Payload.Span);
        Assert.Equal(2500u, reply.Options.GetUInt(OptionNumber.Size2));
    }

    [Fact]
    public async Task A_larger_size_than_ours_is_reduced_at_the_same_offset()
    {
        await using var server = Server(o => o.MaxBlockSize = 256);

        var reply = server.Get("big", new BlockValue(1, false, 6));

        Assert.Equal(new BlockValue(4, true, 4), BlockwiseFixture.BlockOf(reply, OptionNumber.Block2));
        Assert.Equal(Representation.AsSpan(1024, 256), reply.Payload.Span);
    }

    [Fact]
    public async Task Configured_block_size_applies_without_a_request_block()
    {
        await using var server = Server(o => o.MaxBlockSize = 16);

        var reply = server.Get("big");

        Assert.Equal(new BlockValue(0, true, 0), BlockwiseFixture.BlockOf(reply, OptionNumber.Block2));
        Assert.Equal(16, reply.Payload.Length);
    }

    [Fact]
    public async Task Random_access_returns_the_block_at_its_offset()
    {
        await using var server = Server();

        var reply = server.Get("big", new BlockValue(37, false, 2));

        Assert.Equal(new BlockValue(37, true, 2), BlockwiseFixture.BlockOf(reply, OptionNumber.Block2));
        Assert.Equal(Representation.AsSpan(37 * 64, 64), reply.Payload.Span);
    }

    [Fact]
    public async Task Size2_in_the_request_gets_Size2_on_any_block()
    {
        await using var server = Server();
        var request = server.Request(CoapCode.Get, "big");
        request.Options.Add(new BlockValue(1, false, 6).ToOption(OptionNumber.Block2));
        request.Options.Add(CoapOption.FromUInt(OptionNumber.Size2, 0));

        var reply = server.Exchange(request);

        Assert.Equal(2500u, reply.Options.GetUInt(OptionNumber.Size2));
    }

    [Fact]
    public async Task Block_number_beyond_the_end_is_4_02_with_a_diagnostic()
    {
        await using var server = Server();

        var reply = server.Get("big", new BlockValue(3, false, 6));

        Assert.Equal(CoapCode.BadOption, reply.Code);
        Assert.Contains("beyond the end", Encoding.UTF8.GetString(reply.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block2_for_a_representation_that_fits_answers_it_whole_as_block_0()
    {
        await using var server = Server();

        var reply = server.Get("small", new BlockValue(0, false, 6));

        Assert.Equal("tiny", Encoding.UTF8.GetString(reply.Payload.Span));
        Assert.Equal(new BlockValue(0, false, 6), BlockwiseFixture.BlockOf(reply, OptionNumber.Block2));
    }

    [Fact]
    public async Task Small_response_without_Block2_is_untouched()
    {
        await using var server = Server();

        var reply = server.Get("small");

        Assert.False(reply.Options.Contains(OptionNumber.Block2));
        Assert.False(reply.Options.Contains(OptionNumber.ETag));
        Assert.Equal("tiny", Encoding.UTF8.GetString(reply.Payload.Span));
    }

    [Fact]
    public async Task The_resource_ETag_is_kept()
    {
        await using var server = new BlockwiseFixture(t => t.Map("tagged", new TestResource(_ =>
        {
            var response = CoapMessage.CreateResponse(CoapCode.Content, Representation);
            response.Options.Add(OptionNumber.ETag, new byte[] { 1, 2, 3 });
            return ValueTask.FromResult(response);
        })));

        var reply = server.Get("tagged", new BlockValue(1, false, 6));

        Assert.True(reply.Options.TryGet(OptionNumber.ETag, out var etag));
        Assert.Equal(new byte[] { 1, 2, 3 }, etag.Value.ToArray());
    }

    [Fact]
    public async Task Error_responses_are_not_cut_into_blocks()
    {
        await using var server = new BlockwiseFixture(t => t.Map("fails", new TestResource(_ =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.BadRequest, Representation)))));

        var reply = server.Get("fails");

        Assert.Equal(CoapCode.BadRequest, reply.Code);
        Assert.False(reply.Options.Contains(OptionNumber.Block2));
    }

    [Fact]
    public async Task A_block2_longer_than_3_bytes_is_4_02()
    {
        await using var server = Server();
        var request = server.Request(CoapCode.Get, "big");
        request.Options.Add(OptionNumber.Block2, new byte[] { 0, 0, 0, 0x02 });

        Assert.Equal(CoapCode.BadOption, server.Exchange(request).Code);
    }

    [Fact]
    public async Task A_resource_serving_blocks_gets_the_request_untouched_and_builds_its_own_block()
    {
        var file = BlockwiseFixture.RandomBytes(1000);
        BlockValue seen = default;
        var resource = new TestResource(c =>
        {
            seen = BlockwiseResponse.RequestedBlock(c);
            var length = (int)Math.Clamp(file.Length - seen.Offset, 0, seen.Size);
            var start = (int)Math.Min(seen.Offset, file.Length);
            return ValueTask.FromResult(BlockwiseResponse.Create(CoapCode.Content, file.AsMemory(start, length), seen, file.Length));
        });
        await using var server = new BlockwiseFixture(t => t.Map("file", resource, new ResourceMetadata { ServesBlocks = true }), o => o.MaxBlockSize = 256);

        var first = server.Get("file");
        var larger = server.Get("file", new BlockValue(1, false, 5));
        var last = server.Get("file", new BlockValue(3, false, 4));
        var beyond = server.Get("file", new BlockValue(2, false, 6));

        Assert.Equal(new BlockValue(0, true, 4), BlockwiseFixture.BlockOf(first, OptionNumber.Block2));
        Assert.Equal(1000u, first.Options.GetUInt(OptionNumber.Size2));
        Assert.Equal(file.AsSpan(0, 256), first.Payload.Span);
        Assert.Equal(new BlockValue(2, true, 4), BlockwiseFixture.BlockOf(larger, OptionNumber.Block2));
        Assert.Equal(file.AsSpan(512, 256), larger.Payload.Span);
        Assert.Equal(new BlockValue(3, false, 4), BlockwiseFixture.BlockOf(last, OptionNumber.Block2));
        Assert.Equal(file.AsSpan(768), last.Payload.Span);
        Assert.Null(last.Options.GetUInt(OptionNumber.Size2));
        Assert.Equal(CoapCode.BadOption, beyond.Code);
        Assert.Equal(4, resource.Calls);
    }

    [Fact]
    public async Task Three_MiB_in_16_byte_blocks_reassemble_byte_identical()
    {
        var body = BlockwiseFixture.RandomBytes(3 * 1024 * 1024 + 7, seed: 3);
        await using var server = new BlockwiseFixture(t => t.Map("huge", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, body)))));
        var received = new MemoryStream();
        byte[]? etag = null;

        var number = 0;
        while (true)
        {
            var reply = server.Get("huge", new BlockValue(number, false, 0));
            var block = BlockwiseFixture.BlockOf(reply, OptionNumber.Block2);
            Assert.Equal(number, block.Number);
            Assert.Equal(0, block.SizeExponent);
            Assert.True(reply.Options.TryGet(OptionNumber.ETag, out var tag));
            etag ??= tag.Value.ToArray();
            Assert.True(tag.Value.Span.SequenceEqual(etag));
            received.Write(reply.Payload.Span);
            if (!block.More)
            {
                break;
            }

            Assert.Equal(16, reply.Payload.Length);
            number++;
        }

        Assert.Equal(body.Length, received.Length);
        Assert.True(body.AsSpan().SequenceEqual(received.ToArray()));
    }
}

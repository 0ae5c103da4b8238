using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Blockwise;

public sealed class Block1Tests
{
    private static BlockwiseFixture Server(List<CoapMessage> received, Action<Coap.Engine.Messaging.CoapEndpointOptions>? configure = null) =>
        new(t => t.Map("store", new TestResource(c =>
        {
            received.Add(c.Request);
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
        })), configure);

    [Fact]
    public async Task Each_block_but_the_last_is_2_31_and_the_resource_gets_the_whole_body_once()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received);
        var body = BlockwiseFixture.RandomBytes(200);

        var replies = new[]
        {
            server.Upload(CoapCode.Put, "store", body, 0, 2),
            server.Upload(CoapCode.Put, "store", body, 1, 2),
            server.Upload(CoapCode.Put, "store", body, 2, 2),
            server.Upload(CoapCode.Put, "store", body, 3, 2),
        };

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(CoapCode.Continue, replies[i].Code);
            Assert.Equal(new BlockValue(i, true, 2), BlockwiseFixture.BlockOf(replies[i], OptionNumber.Block1));
        }

        Assert.Equal(CoapCode.Changed, replies[3].Code);
        Assert.Equal(new BlockValue(3, false, 2), BlockwiseFixture.BlockOf(replies[3], OptionNumber.Block1));
        var request = Assert.Single(received);
        Assert.Equal(body, request.Payload.ToArray());
        Assert.False(request.Options.Contains(OptionNumber.Block1));
        Assert.Equal("/store", request.GetUriPath());
        Assert.Equal(0, server.Block1.PendingUploads);
        Assert.Equal(0, server.Block1.PendingBytes);
    }

    [Fact]
    public async Task A_gap_is_4_08_and_ends_the_upload()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received);
        var body = BlockwiseFixture.RandomBytes(200);

        Assert.Equal(CoapCode.Continue, server.Upload(CoapCode.Put, "store", body, 0, 2).Code);
        var gap = server.Upload(CoapCode.Put, "store", body, 2, 2);
        var after = server.Upload(CoapCode.Put, "store", body, 3, 2);

        Assert.Equal(CoapCode.RequestEntityIncomplete, gap.Code);
        Assert.Equal(CoapCode.RequestEntityIncomplete, after.Code);
        Assert.Empty(received);
        Assert.Equal(0, server.Block1.PendingBytes);
    }

    [Fact]
    public async Task A_later_block_without_block_0_is_4_08()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received);

        var reply = server.Upload(CoapCode.Post, "store", BlockwiseFixture.RandomBytes(100), 1, 2);

        Assert.Equal(CoapCode.RequestEntityIncomplete, reply.Code);
    }

    [Fact]
    public async Task A_non_final_block_of_the_wrong_size_is_4_00()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received);
        var request = server.Request(CoapCode.Put, "store");
        request.Options.Add(new BlockValue(0, true, 2).ToOption(OptionNumber.Block1));
        request.Payload = new byte[50];

        Assert.Equal(CoapCode.BadRequest, server.Exchange(request).Code);
    }

    [Fact]
    public async Task A_body_announced_too_large_by_Size1_is_4_13_on_the_first_block()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received, o => o.MaxBodySize = 1000);

        var reply = server.Upload(CoapCode.Put, "store", BlockwiseFixture.RandomBytes(200), 0, 2,
            edit: r => r.Options.Add(CoapOption.FromUInt(OptionNumber.Size1, 5000)));

        Assert.Equal(CoapCode.RequestEntityTooLarge, reply.Code);
        Assert.Equal(1000u, reply.Options.GetUInt(OptionNumber.Size1));
        Assert.Equal(0, server.Block1.PendingUploads);
    }

    [Fact]
    public async Task A_body_growing_beyond_the_limit_is_4_13_and_freed()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received, o => o.MaxBodySize = 100);
        var body = BlockwiseFixture.RandomBytes(200);

        Assert.Equal(CoapCode.Continue, server.Upload(CoapCode.Put, "store", body, 0, 2).Code);
        var reply = server.Upload(CoapCode.Put, "store", body, 1, 2);

        Assert.Equal(CoapCode.RequestEntityTooLarge, reply.Code);
        Assert.Equal(100u, reply.Options.GetUInt(OptionNumber.Size1));
        Assert.Equal(0, server.Block1.PendingUploads);
        Assert.Equal(0, server.Block1.PendingBytes);
        Assert.Empty(received);
    }

    [Fact]
    public async Task An_abandoned_upload_is_freed_after_EXCHANGE_LIFETIME()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received);
        var body = BlockwiseFixture.RandomBytes(200);
        server.Upload(CoapCode.Put, "store", body, 0, 2);
        server.Upload(CoapCode.Put, "store", body, 1, 2);
        var lifetime = server.Options.Transmission.ExchangeLifetime;

        server.Time.Advance(lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(1, server.Block1.PendingUploads);
        Assert.True(server.Block1.PendingBytes >= 128);
        server.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, server.Block1.PendingUploads);
        Assert.Equal(0, server.Block1.PendingBytes);
        Assert.Equal(CoapCode.RequestEntityIncomplete, server.Upload(CoapCode.Put, "store", body, 2, 2).Code);
    }

    [Fact]
    public async Task Each_block_restarts_the_abandonment_clock()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received);
        var body = BlockwiseFixture.RandomBytes(200);
        var lifetime = server.Options.Transmission.ExchangeLifetime;

        server.Upload(CoapCode.Put, "store", body, 0, 2);
        server.Time.Advance(lifetime - TimeSpan.FromSeconds(1));
        server.Upload(CoapCode.Put, "store", body, 1, 2);
        server.Time.Advance(lifetime - TimeSpan.FromSeconds(1));

        Assert.Equal(CoapCode.Continue, server.Upload(CoapCode.Put, "store", body, 2, 2).Code);
        Assert.Equal(CoapCode.Changed, server.Upload(CoapCode.Put, "store", body, 3, 2).Code);
        Assert.Equal(body, Assert.Single(received).Payload.ToArray());
    }

    [Fact]
    public async Task A_thousand_half_finished_uploads_never_hold_more_than_the_bound()
    {
        const long bound = 256 * 1024;
        var received = new List<CoapMessage>();
        await using var server = Server(received, o => o.MaxPendingUploadBytes = bound);
        var body = BlockwiseFixture.RandomBytes(4096);
        var refused = 0;

        for (var i = 0; i < 1000; i++)
        {
            var peer = server.PeerAt(41000 + i);
            var reply = server.Upload(CoapCode.Put, "store", body, 0, 6, peer);
            if (reply.Code == CoapCode.ServiceUnavailable)
            {
                refused++;
                Assert.Equal(Block1Stage.RetryAfterSeconds, reply.MaxAge);
            }
            else
            {
                Assert.Equal(CoapCode.Continue, reply.Code);
                var second = server.Upload(CoapCode.Put, "store", body, 1, 6, peer).Code;
                Assert.True(second == CoapCode.Continue || second == CoapCode.ServiceUnavailable, $"block 1 got {second}");
            }

            Assert.True(server.Block1.PendingBytes <= bound, $"{server.Block1.PendingBytes} bytes held after {i + 1} uploads");
        }

        Assert.True(refused > 0);
        Assert.True(server.Block1.PendingBytes > bound / 2);
        Assert.Empty(received);

        server.Time.Advance(server.Options.Transmission.ExchangeLifetime);
        Assert.Equal(0, server.Block1.PendingBytes);
        Assert.Equal(CoapCode.Continue, server.Upload(CoapCode.Put, "store", body, 0, 6, server.PeerAt(40999)).Code);
    }

    [Fact]
    public async Task A_larger_block_than_ours_is_kept_and_the_client_continues_at_the_same_offset()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received, o => o.MaxBlockSize = 64);
        var body = BlockwiseFixture.RandomBytes(400);

        var first = server.Upload(CoapCode.Post, "store", body, 0, 4);
        var rest = new List<CoapMessage>();
        for (var number = 4; number * 64 < body.Length; number++)
        {
            rest.Add(server.Upload(CoapCode.Post, "store", body, number, 2));
        }

        Assert.Equal(new BlockValue(0, true, 2), BlockwiseFixture.BlockOf(first, OptionNumber.Block1));
        Assert.Equal(3, rest.Count);
        Assert.Equal(new BlockValue(4, true, 2), BlockwiseFixture.BlockOf(rest[0], OptionNumber.Block1));
        Assert.Equal(CoapCode.Changed, rest[^1].Code);
        Assert.Equal(body, Assert.Single(received).Payload.ToArray());
    }

    [Fact]
    public async Task Request_Tags_keep_two_uploads_to_one_resource_apart()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received);
        var a = BlockwiseFixture.RandomBytes(100, 1);
        var b = BlockwiseFixture.RandomBytes(100, 2);
        void Tag(CoapMessage r, byte tag) => r.Options.Add(OptionNumber.RequestTag, new[] { tag });

        server.Upload(CoapCode.Post, "store", a, 0, 2, edit: r => Tag(r, 1));
        server.Upload(CoapCode.Post, "store", b, 0, 2, edit: r => Tag(r, 2));
        server.Upload(CoapCode.Post, "store", a, 1, 2, edit: r => Tag(r, 1));
        server.Upload(CoapCode.Post, "store", b, 1, 2, edit: r => Tag(r, 2));

        Assert.Equal(2, received.Count);
        Assert.Equal(a, received[0].Payload.ToArray());
        Assert.Equal(b, received[1].Payload.ToArray());
    }

    [Fact]
    public async Task Three_MiB_in_16_byte_blocks_arrive_byte_identical()
    {
        var received = new List<CoapMessage>();
        await using var server = Server(received);
        var body = BlockwiseFixture.RandomBytes(3 * 1024 * 1024 + 5, seed: 9);
        var blocks = (body.Length + 15) / 16;

        for (var number = 0; number < blocks; number++)
        {
            var reply = server.Upload(CoapCode.Put, "store", body, number, 0);
            var last = number == blocks - 1;
            Assert.Equal(last ? CoapCode.Changed : CoapCode.Continue, reply.Code);
            Assert.Equal(new BlockValue(number, !last, 0), BlockwiseFixture.BlockOf(reply, OptionNumber.Block1));
        }

        Assert.True(body.AsSpan().SequenceEqual(Assert.Single(received).Payload.Span));
    }

    [Fact]
    public async Task A_large_request_with_a_large_response_runs_the_handler_once()
    {
        var calls = 0;
        await using var server = new BlockwiseFixture(t => t.Map("echo", new TestResource(c =>
        {
            calls++;
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed, c.Request.Payload.ToArray()));
        })));
        var body = BlockwiseFixture.RandomBytes(3000);

        server.Upload(CoapCode.Post, "echo", body, 0, 6);
        server.Upload(CoapCode.Post, "echo", body, 1, 6);
        var last = server.Upload(CoapCode.Post, "echo", body, 2, 6);
        var response = new MemoryStream();
        response.Write(last.Payload.Span);
        for (var number = 1; number < 3; number++)
        {
            var request = server.Request(CoapCode.Post, "echo");
            request.Options.Add(new BlockValue(number, false, 6).ToOption(OptionNumber.Block2));
            var reply = server.Exchange(request);
            Assert.Equal(CoapCode.Changed, reply.Code);
            Assert.Equal(number, BlockwiseFixture.BlockOf(reply, OptionNumber.Block2).Number);
            response.Write(reply.Payload.Span);
        }

        Assert.Equal(new BlockValue(2, false, 6), BlockwiseFixture.BlockOf(last, OptionNumber.Block1));
        Assert.Equal(new BlockValue(0, true, 6), BlockwiseFixture.BlockOf(last, OptionNumber.Block2));
        Assert.Equal(body, response.ToArray());
        Assert.Equal(1, calls);
    }
}

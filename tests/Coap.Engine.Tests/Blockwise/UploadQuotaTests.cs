using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>Per-peer shares of what unfinished Block1 uploads hold, the open-file limit, and refusals before the body.</summary>
public sealed class UploadQuotaTests
{
    [Fact]
    public async Task A_block1_POST_to_a_resource_without_POST_is_4_05_at_the_first_block()
    {
        await using var server = new BlockwiseFixture(t => t.Map("time", new GetOnly()));

        var reply = server.Upload(CoapCode.Post, "time", BlockwiseFixture.RandomBytes(4096), 0, 6);

        Assert.Equal(CoapCode.MethodNotAllowed, reply.Code);
        Assert.Equal(0, server.Block1.PendingUploads);
        Assert.Equal(0, server.Block1.PendingBytes);
    }

    [Fact]
    public async Task A_block1_PUT_to_a_path_nothing_serves_is_4_04_at_the_first_block()
    {
        await using var server = new BlockwiseFixture(t => t.Map("time", new GetOnly()));

        var reply = server.Upload(CoapCode.Put, "nowhere", BlockwiseFixture.RandomBytes(4096), 0, 6);

        Assert.Equal(CoapCode.NotFound, reply.Code);
        Assert.Equal(0, server.Block1.PendingUploads);
    }

    [Fact]
    public async Task A_streamed_upload_the_resource_refuses_before_the_body_opens_no_sink()
    {
        var resource = new RecordingUploadResource { RefuseBeforeBodyWith = CoapMessage.CreateResponse(CoapCode.NotFound) };
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));

        var reply = server.Upload(CoapCode.Put, "up", BlockwiseFixture.RandomBytes(200), 0, 2);

        Assert.Equal(CoapCode.NotFound, reply.Code);
        Assert.Empty(resource.Sinks);
    }

    [Fact]
    public async Task One_peer_holds_at_most_its_share_and_another_peer_still_uploads()
    {
        await using var server = new BlockwiseFixture(Store, o =>
        {
            o.MaxPendingUploadBytes = 64 * 1024;
            o.MaxPendingUploadBytesPerPeer = 8 * 1024;
        });
        var body = BlockwiseFixture.RandomBytes(6 * 1024);
        var greedy = server.PeerAt(41000);
        var refused = 0;

        for (byte tag = 0; tag < 20; tag++)
        {
            var reply = server.Upload(CoapCode.Post, "store", body, 0, 6, greedy, r => r.Options.Add(OptionNumber.RequestTag, new[] { tag }));
            if (reply.Code == CoapCode.ServiceUnavailable)
            {
                refused++;
                Assert.Equal(Block1Stage.RetryAfterSeconds, reply.MaxAge);
            }
            else
            {
                Assert.Equal(CoapCode.Continue, reply.Code);
            }
        }

        Assert.Equal(12, refused);
        Assert.Equal(8 * 1024, server.Block1.PendingBytes);
        Assert.Equal(CoapCode.Continue, server.Upload(CoapCode.Post, "store", body, 0, 6, server.PeerAt(41001)).Code);
    }

    [Fact]
    public async Task A_body_that_could_never_fit_the_peers_share_is_4_13_with_the_share_as_Size1()
    {
        await using var server = new BlockwiseFixture(Store, o => o.MaxPendingUploadBytesPerPeer = 4096);

        var announced = server.Upload(CoapCode.Put, "store", BlockwiseFixture.RandomBytes(2048), 0, 6,
            edit: r => r.Options.SetUInt(OptionNumber.Size1, 5000));
        var body = BlockwiseFixture.RandomBytes(5000);
        var grown = Enumerable.Range(0, 5).Select(n => server.Upload(CoapCode.Put, "store", body, n, 6)).ToList();

        Assert.Equal(CoapCode.RequestEntityTooLarge, announced.Code);
        Assert.Equal(4096u, announced.Options.GetUInt(OptionNumber.Size1));
        Assert.Equal([CoapCode.Continue, CoapCode.Continue, CoapCode.Continue, CoapCode.Continue, CoapCode.RequestEntityTooLarge], grown.Select(r => r.Code));
        Assert.Equal(0, server.Block1.PendingBytes);
    }

    [Fact]
    public async Task Streamed_uploads_are_held_to_the_open_file_limits_before_a_sink_is_opened()
    {
        var resource = new RecordingUploadResource();
        await using var server = new BlockwiseFixture(t => t.Map("up", resource), o =>
        {
            o.MaxOpenUploads = 3;
            o.MaxOpenUploadsPerPeer = 2;
        });
        var body = BlockwiseFixture.RandomBytes(200);
        var a = server.PeerAt(41000);
        var b = server.PeerAt(41001);
        var c = server.PeerAt(41002);
        CoapMessage Start(LockstepPeer peer, byte tag) =>
            server.Upload(CoapCode.Put, "up", body, 0, 2, peer, r => r.Options.Add(OptionNumber.RequestTag, new[] { tag }));

        var codes = new[] { Start(a, 1), Start(a, 2), Start(a, 3), Start(b, 1), Start(c, 1) }.Select(r => r.Code).ToList();

        Assert.Equal([CoapCode.Continue, CoapCode.Continue, CoapCode.ServiceUnavailable, CoapCode.Continue, CoapCode.ServiceUnavailable], codes);
        Assert.Equal(3, resource.Sinks.Count);
        Assert.Equal(3, server.Block1.OpenUploads);
        Assert.Equal(3 * Block1Stage.StreamedUploadBytes, server.Block1.PendingBytes);

        for (var number = 1; number < 4; number++)
        {
            server.Upload(CoapCode.Put, "up", body, number, 2, a, r => r.Options.Add(OptionNumber.RequestTag, new byte[] { 1 }));
        }

        Assert.True(resource.Sinks[0].Committed);
        Assert.Equal(2, server.Block1.OpenUploads);
        Assert.Equal(CoapCode.Continue, Start(c, 1).Code);

        server.Time.Advance(server.Options.Transmission.ExchangeLifetime);
        Assert.Equal(0, server.Block1.OpenUploads);
        Assert.Equal(0, server.Block1.PendingBytes);
    }

    [Fact]
    public async Task Streamed_uploads_count_against_the_memory_pool()
    {
        var resource = new RecordingUploadResource();
        await using var server = new BlockwiseFixture(t => t.Map("up", resource), o =>
        {
            o.MaxPendingUploadBytes = 2 * Block1Stage.StreamedUploadBytes;
            o.MaxPendingUploadBytesPerPeer = o.MaxPendingUploadBytes;
        });
        var body = BlockwiseFixture.RandomBytes(200);

        var codes = Enumerable.Range(0, 3).Select(i => server.Upload(CoapCode.Put, "up", body, 0, 2, server.PeerAt(41000 + i)).Code).ToList();

        Assert.Equal([CoapCode.Continue, CoapCode.Continue, CoapCode.ServiceUnavailable], codes);
        Assert.Equal(2, resource.Sinks.Count);
    }

    [Fact]
    public async Task Refused_failed_and_single_block_streamed_uploads_give_their_count_back()
    {
        var resource = new RecordingUploadResource { RefuseWith = CoapMessage.CreateResponse(CoapCode.PreconditionFailed) };
        await using var server = new BlockwiseFixture(t => t.Map("up", resource), o => o.MaxOpenUploads = o.MaxOpenUploadsPerPeer = 1);

        Assert.Equal(CoapCode.PreconditionFailed, server.Upload(CoapCode.Put, "up", BlockwiseFixture.RandomBytes(200), 0, 2).Code);
        resource.RefuseWith = null;
        resource.Limit = 100;
        Assert.Equal(CoapCode.Continue, server.Upload(CoapCode.Put, "up", BlockwiseFixture.RandomBytes(200), 0, 2).Code);
        Assert.Equal(CoapCode.RequestEntityTooLarge, server.Upload(CoapCode.Put, "up", BlockwiseFixture.RandomBytes(200), 1, 2).Code);
        resource.Limit = null;
        Assert.Equal(CoapCode.Changed, server.Upload(CoapCode.Put, "up", BlockwiseFixture.RandomBytes(50), 0, 2).Code);
        Assert.Equal(CoapCode.Continue, server.Upload(CoapCode.Put, "up", BlockwiseFixture.RandomBytes(200), 0, 2).Code);

        Assert.Equal(1, server.Block1.OpenUploads);
    }

    private static void Store(ResourceTree tree) =>
        tree.Map("store", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed))));

    /// <summary>A resource of GET only, like the time service.</summary>
    private sealed class GetOnly : CoapResource
    {
        protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context) =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
    }
}

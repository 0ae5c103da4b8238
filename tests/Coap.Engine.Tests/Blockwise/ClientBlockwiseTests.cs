using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Client;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>The client side of RFC 7959, with the test playing the server block by block.</summary>
public sealed class ClientBlockwiseTests
{
    private static byte[] Bytes(int length, int seed = 0)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 7) + seed);
        }

        return bytes;
    }

    private static BlockValue Block(CoapMessage message, ushort number)
    {
        Assert.True(message.Options.TryGet(number, out var option), $"option {number} missing in {message}");
        Assert.True(BlockValue.TryDecode(option.Value.Span, out var block));
        return block;
    }

    private static Action<CoapMessage> Block2(int number, bool more, int szx, byte etag) => m =>
    {
        m.Options.Set(new BlockValue(number, more, szx).ToOption(OptionNumber.Block2));
        m.Options.Set(new CoapOption(OptionNumber.ETag, new[] { etag }));
    };

    [Fact]
    public async Task Download_follows_a_smaller_block_size_chosen_by_the_server()
    {
        await using var peer = new ClientLockstep();
        var body = Bytes(74);
        var pending = peer.Client.GetAsync(ClientLockstep.Uri("big"));

        var first = await peer.NextAsync();
        Assert.False(first.Options.Contains(OptionNumber.Block2), "no early negotiation at the default 1024");
        peer.Reply(first, CoapCode.Content, body.AsMemory(0, 64), Block2(0, true, 2, 1));
        var second = await peer.NextAsync();
        Assert.Equal(new BlockValue(1, false, 2), Block(second, OptionNumber.Block2));
        Assert.Equal("/big", second.GetUriPath());
        Assert.NotEqual(first.Token, second.Token);
        peer.Reply(second, CoapCode.Content, body.AsMemory(64), Block2(1, false, 2, 1));

        var response = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(body, response.Payload.ToArray());
        Assert.False(response.Options.Contains(OptionNumber.Block2));
    }

    [Fact]
    public async Task A_fetch_download_repeats_the_request_body_in_every_block_request()
    {
        await using var peer = new ClientLockstep();
        var body = Bytes(74);
        var selector = new byte[] { 1, 2, 3 };
        var pending = peer.Client.FetchAsync(ClientLockstep.Uri("big"), selector, ContentFormat.OctetStream);

        var first = await peer.NextAsync();
        Assert.Equal(selector, first.Payload.ToArray());
        peer.Reply(first, CoapCode.Content, body.AsMemory(0, 64), Block2(0, true, 2, 1));
        var second = await peer.NextAsync();
        Assert.Equal(CoapCode.Fetch, second.Code);
        Assert.Equal(selector, second.Payload.ToArray());
        Assert.Equal(ContentFormat.OctetStream, second.ContentFormat);
        peer.Reply(second, CoapCode.Content, body.AsMemory(64), Block2(1, false, 2, 1));

        Assert.Equal(body, (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Payload.ToArray());
    }

    [Fact]
    public async Task Download_restarts_once_when_the_etag_changes_then_fails_on_a_second_change()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = 16 });
        var progress = new List<TransferProgress>();
        var pending = peer.Client.SendAsync(
            peer.Client.NewRequest(CoapCode.Get, default, null), CoapUri.Parse(ClientLockstep.Uri("big")), new Progress(progress));

        var request = await peer.NextAsync();
        Assert.Equal(new BlockValue(0, false, 0), Block(request, OptionNumber.Block2));
        peer.Reply(request, CoapCode.Content, Bytes(16), Block2(0, true, 0, 0xA));
        request = await peer.NextAsync();
        Assert.Equal(1, Block(request, OptionNumber.Block2).Number);
        peer.Reply(request, CoapCode.Content, Bytes(16, 1), Block2(1, true, 0, 0xB));

        request = await peer.NextAsync();
        Assert.Equal(0, Block(request, OptionNumber.Block2).Number);
        peer.Reply(request, CoapCode.Content, Bytes(16, 2), Block2(0, true, 0, 0xB));
        request = await peer.NextAsync();
        Assert.Equal(1, Block(request, OptionNumber.Block2).Number);
        peer.Reply(request, CoapCode.Content, Bytes(16, 3), Block2(1, true, 0, 0xC));

        var error = await Assert.ThrowsAsync<CoapRepresentationChangedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("ETag", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(progress);
    }

    [Fact]
    public async Task Download_restarted_after_an_etag_change_delivers_the_new_representation()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = 16 });
        var pending = peer.Client.GetAsync(ClientLockstep.Uri("big"));

        var request = await peer.NextAsync();
        peer.Reply(request, CoapCode.Content, Bytes(16), Block2(0, true, 0, 0xA));
        request = await peer.NextAsync();
        peer.Reply(request, CoapCode.Content, Bytes(16, 1), Block2(1, true, 0, 0xB));
        request = await peer.NextAsync();
        Assert.Equal(0, Block(request, OptionNumber.Block2).Number);
        peer.Reply(request, CoapCode.Content, Bytes(16, 2), Block2(0, true, 0, 0xB));
        request = await peer.NextAsync();
        peer.Reply(request, CoapCode.Content, Bytes(5, 3), Block2(1, false, 0, 0xB));

        var response = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([.. Bytes(16, 2), .. Bytes(5, 3)], response.Payload.ToArray());
    }

    [Fact]
    public async Task Upload_handles_continue_and_a_server_that_reduces_the_block_size()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = 64 , QBlock = new() { Enabled = false } });
        var body = Bytes(200);
        var progress = new List<TransferProgress>();
        var pending = peer.Client.SendAsync(
            peer.Client.NewRequest(CoapCode.Put, body, ContentFormat.OctetStream), CoapUri.Parse(ClientLockstep.Uri("up")), new Progress(progress));

        var received = new List<byte>();
        var request = await peer.NextAsync();
        Assert.Equal(new BlockValue(0, true, 2), Block(request, OptionNumber.Block1));
        Assert.Equal(200u, request.Options.GetUInt(OptionNumber.Size1));
        received.AddRange(request.Payload.ToArray());
        peer.Reply(request, CoapCode.Continue, options: m => m.Options.Set(new BlockValue(0, true, 1).ToOption(OptionNumber.Block1)));

        var expected = new[] { 2, 3, 4, 5, 6 };
        foreach (var number in expected)
        {
            request = await peer.NextAsync();
            var block = Block(request, OptionNumber.Block1);
            Assert.Equal(new BlockValue(number, number != 6, 1), block);
            Assert.False(request.Options.Contains(OptionNumber.Size1));
            Assert.Equal(ContentFormat.OctetStream, request.ContentFormat);
            received.AddRange(request.Payload.ToArray());
            peer.Reply(request, block.More ? CoapCode.Continue : CoapCode.Changed, options: m => m.Options.Set(block.ToOption(OptionNumber.Block1)));
        }

        var response = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(body, received.ToArray());
        Assert.Equal(new TransferProgress(200, 200), progress[^1]);
    }

    [Fact]
    public async Task Upload_ends_with_the_servers_error()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = 32 });
        var pending = peer.Client.PutAsync(ClientLockstep.Uri("up"), Bytes(100));

        var request = await peer.NextAsync();
        peer.Reply(request, CoapCode.RequestEntityTooLarge);

        Assert.Equal(CoapCode.RequestEntityTooLarge, (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Code);
        Assert.True(peer.IsQuiet);
    }

    [Fact]
    public async Task Upload_with_a_block_wise_response_fetches_the_rest()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = 16 , QBlock = new() { Enabled = false } });
        var answer = Bytes(20, 9);
        var pending = peer.Client.PostAsync(ClientLockstep.Uri("rpc"), Bytes(20));

        var request = await peer.NextAsync();
        peer.Reply(request, CoapCode.Continue, options: m => m.Options.Set(Block(request, OptionNumber.Block1).ToOption(OptionNumber.Block1)));
        request = await peer.NextAsync();
        Assert.Equal(new BlockValue(1, false, 0), Block(request, OptionNumber.Block1));
        Assert.Equal(new BlockValue(0, false, 0), Block(request, OptionNumber.Block2));
        peer.Reply(request, CoapCode.Changed, answer.AsMemory(0, 16), Block2(0, true, 0, 1));
        request = await peer.NextAsync();
        Assert.Equal(CoapCode.Post, request.Code);
        Assert.False(request.Options.Contains(OptionNumber.Block1));
        Assert.True(request.Payload.IsEmpty);
        Assert.Equal(1, Block(request, OptionNumber.Block2).Number);
        peer.Reply(request, CoapCode.Changed, answer.AsMemory(16), Block2(1, false, 0, 1));

        Assert.Equal(answer, (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Payload.ToArray());
    }

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Progress(List<TransferProgress> reports) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}

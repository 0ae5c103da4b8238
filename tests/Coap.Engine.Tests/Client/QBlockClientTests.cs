using Coap.Engine.Blockwise;
using Coap.Engine.Client;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Client;

/// <summary>The client side of Q-Block (RFC 9177) recovering lost blocks, with the test playing the server.</summary>
public sealed class QBlockClientTests
{
    private const int Size = 64;
    private static readonly byte[] Body = Enumerable.Range(0, 20 * Size).Select(i => (byte)(i * 11)).ToArray();

    private static List<int> Blocks(CoapMessage message, ushort option) =>
        message.Options.Where(o => o.Number == option).Select(o => BlockValue.TryDecode(o.Value.Span, out var block) ? (int)block.Number : -1).ToList();

    [Fact]
    public async Task When_a_q_block1_upload_hears_nothing_for_the_rto_it_probes_with_the_lowest_and_highest_block_not_acknowledged_not_with_all()
    {
        // Real time, a short ACK_TIMEOUT (the RTO before any measurement): the test waits for what is sent, not for how long.
        var options = new CoapClientOptions { BlockSize = Size, Transmission = new CoapTransmissionOptions { MeasureRtt = true, AckTimeout = TimeSpan.FromMilliseconds(100) } };
        await using var peer = new ClientLockstep(options, TimeProvider.System);
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Put, Body, ContentFormat.OctetStream), CoapUri.Parse(ClientLockstep.Uri("up")));

        var probe = await peer.NextAsync();
        Assert.Equal([0], Blocks(probe, OptionNumber.QBlock1));
        peer.Reply(probe, CoapCode.Continue, options: m => m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.QBlock1)));

        // The window's blocks, then (nothing answered) the first one sent again.
        var sent = new List<int>();
        CoapMessage request;
        while (true)
        {
            request = await peer.NextAsync();
            var number = Assert.Single(Blocks(request, OptionNumber.QBlock1));
            if (sent.Contains(number))
            {
                break;
            }

            sent.Add(number);
        }

        Assert.Equal(Enumerable.Range(1, sent.Count), sent);
        Assert.Equal(1, Assert.Single(Blocks(request, OptionNumber.QBlock1)));
        var second = await peer.NextAsync();
        Assert.Equal(sent[^1], Assert.Single(Blocks(second, OptionNumber.QBlock1)));

        peer.Notify(second.Token, CoapMessageType.NonConfirmable, CoapCode.RequestEntityTooLarge, default);
        Assert.Equal(CoapCode.RequestEntityTooLarge, (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Code);
    }

    [Fact]
    public async Task A_q_block1_2_31_for_a_whole_set_measures_the_round_trip_so_the_rto_is_the_measured_one_not_ack_timeout()
    {
        // A server that answers only the last block of each MAX_PAYLOADS set (RFC 9177 §4.3). Fake time: the round trip
        // is the 10 ms the test lets pass; ACK_TIMEOUT, the RTO before any measurement, is far longer.
        var options = new CoapClientOptions { BlockSize = Size, Transmission = new CoapTransmissionOptions { AckTimeout = TimeSpan.FromSeconds(30) } };
        await using var peer = new ClientLockstep(options);
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Put, Body, ContentFormat.OctetStream), CoapUri.Parse(ClientLockstep.Uri("up")));
        var probe = await peer.NextAsync();
        peer.Reply(probe, CoapCode.Continue, options: m => m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.QBlock1)));
        var set = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            set.Add(Assert.Single(Blocks(await peer.NextAsync(), OptionNumber.QBlock1)));
        }

        Assert.Equal(Enumerable.Range(1, 10), set);
        peer.Time.Advance(TimeSpan.FromMilliseconds(10));
        // The round trip measured (10 ms), the RTO is the least one; the wait for an answer after the last blocks is that.
        var waiting = peer.Time.WhenArmedAsync(options.Transmission.MinRto);
        peer.Notify(probe.Token, CoapMessageType.NonConfirmable, CoapCode.Continue, default, m => m.Options.Set(new BlockValue(9, true, 2).ToOption(OptionNumber.QBlock1)));
        for (var number = 11; number < 20; number++)
        {
            Assert.Equal(number, Assert.Single(Blocks(await peer.NextAsync(), OptionNumber.QBlock1)));
        }

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        peer.Time.Advance(options.Transmission.MinRto);
        Assert.Equal(10, Assert.Single(Blocks(await peer.NextAsync(), OptionNumber.QBlock1)));
        Assert.Equal(19, Assert.Single(Blocks(await peer.NextAsync(), OptionNumber.QBlock1)));

        peer.Notify(probe.Token, CoapMessageType.NonConfirmable, CoapCode.Changed, default);
        Assert.Equal(CoapCode.Changed, (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Code);
    }

    [Fact]
    public async Task On_a_q_block1_loss_the_window_keeps_what_the_path_delivered_measured_on_every_block_a_2_31_acknowledges()
    {
        // Fake time; the test plays a server that answers sets, not each block. MaxWindow 16: on a loss the window goes
        // to the larger of 70 % (11) and the measured bandwidth-delay product. Blocks 12-21 went before the 2.31 that
        // acknowledged 6-9, block 22 after it; one 2.31 naming 22 acknowledges them all 10 ms (the least round trip)
        // after they went: while block 21 was in flight 16 blocks were delivered, while block 22 was, 13. Measured on
        // every block acknowledged, the window after the loss is 16; on the named block alone it was 13.
        var body = Enumerable.Range(0, 100 * Size).Select(i => (byte)i).ToArray();
        var options = new CoapClientOptions { BlockSize = Size, QBlock = new CoapQBlockOptions { MaxWindow = 16 } };
        await using var peer = new ClientLockstep(options);
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Put, body, ContentFormat.OctetStream), CoapUri.Parse(ClientLockstep.Uri("up")));
        var probe = await peer.NextAsync();
        peer.Reply(probe, CoapCode.Continue, options: m => m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.QBlock1)));
        await ExpectBlocksAsync(peer, 1, 10);

        // Each step waits for what the client sends (a paced block when time moves, a burst on an answer).
        peer.Time.Advance(TimeSpan.FromMilliseconds(10));
        await ExpectBlocksAsync(peer, 11, 11);
        Continue(peer, probe.Token, 5);
        await ExpectBlocksAsync(peer, 12, 21);
        Continue(peer, probe.Token, 9);
        await ExpectBlocksAsync(peer, 22, 25);
        peer.Time.Advance(TimeSpan.FromMilliseconds(10));
        await ExpectBlocksAsync(peer, 26, 26);
        Continue(peer, probe.Token, 22);
        await ExpectBlocksAsync(peer, 27, 36);

        // Block 23, sent 15 ms ago, is lost: 24-36 are in flight (13); with room for 16 it goes again with two new
        // blocks (with room for 13, nothing would go).
        peer.Time.Advance(TimeSpan.FromMilliseconds(5));
        peer.Notify(probe.Token, CoapMessageType.NonConfirmable, CoapCode.RequestEntityIncomplete, new byte[] { 23 }, m => m.ContentFormat = 272);
        await ExpectBlocksAsync(peer, 23, 23);
        await ExpectBlocksAsync(peer, 37, 38);

        peer.Notify(probe.Token, CoapMessageType.NonConfirmable, CoapCode.Changed, default);
        Assert.Equal(CoapCode.Changed, (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Code);
    }

    private static async Task ExpectBlocksAsync(ClientLockstep peer, int first, int last)
    {
        for (var number = first; number <= last; number++)
        {
            Assert.Equal(number, Assert.Single(Blocks(await peer.NextAsync(), OptionNumber.QBlock1)));
        }
    }

    private static void Continue(ClientLockstep peer, CoapToken token, int upTo) =>
        peer.Notify(token, CoapMessageType.NonConfirmable, CoapCode.Continue, default, m => m.Options.Set(new BlockValue(upTo, true, 2).ToOption(OptionNumber.QBlock1)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // a server that sends no ETag: every block must come without one, as block 0 did
    public async Task A_q_block2_block_missing_when_a_later_one_of_its_request_arrives_is_asked_for_again_without_waiting_for_the_rto(bool etag)
    {
        var tag = etag ? new byte[] { 0xE1 } : null;
        // Fake time that never advances: no RTO ever runs out, so block 3 can only come back through the later block.
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = Size });
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Get, default, null), CoapUri.Parse(ClientLockstep.Uri("big")));

        var get = await peer.NextAsync();
        peer.Reply(get, CoapCode.Content, Body.AsMemory(0, Size), m =>
        {
            m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.Block2));
            m.Options.SetUInt(OptionNumber.Size2, (uint)Body.Length);
            Tag(m, tag);
        });
        var probe = await peer.NextAsync();
        Assert.Equal([1], Blocks(probe, OptionNumber.QBlock2));
        peer.Reply(probe, CoapCode.Content, Block(1), m =>
        {
            m.Options.Set(new BlockValue(1, true, 2).ToOption(OptionNumber.QBlock2));
            Tag(m, tag);
        });

        var set = await peer.NextAsync();
        var asked = Blocks(set, OptionNumber.QBlock2);
        Assert.Equal(Enumerable.Range(2, asked.Count), asked);
        Assert.Contains(4, asked);
        foreach (var number in asked.Where(n => n != 3))
        {
            Send(peer, set.Token, number, tag);
        }

        var again = await peer.NextAsync();
        Assert.Equal(3, Blocks(again, OptionNumber.QBlock2)[0]);
        var delivered = asked.Where(n => n != 3).ToHashSet();
        for (var request = again; ; request = await peer.NextAsync())
        {
            foreach (var number in Blocks(request, OptionNumber.QBlock2))
            {
                Send(peer, request.Token, number, tag);
                delivered.Add(number);
            }

            if (delivered.Count == (Body.Length / Size) - 2)
            {
                break;
            }
        }

        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Body, response.Payload.ToArray());
    }

    [Fact]
    public async Task A_q_block2_block_arriving_right_after_a_wait_ran_out_is_taken_not_lost()
    {
        // Three blocks: 0 in the first response, 1 in the probe's, 2 in the NON set. Fake time moves only when told.
        const int Total = 3 * Size;
        var options = new CoapClientOptions { BlockSize = Size };
        SendHookTransport? hooked = null;
        await using var peer = new ClientLockstep(options, wrap: inner => hooked = new SendHookTransport(inner));
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Get, default, null), CoapUri.Parse(ClientLockstep.Uri("big")));

        var get = await peer.NextAsync();
        peer.Reply(get, CoapCode.Content, Block(0), m =>
        {
            m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.Block2));
            m.Options.SetUInt(OptionNumber.Size2, Total);
        });
        var probe = await peer.NextAsync();
        var waiting = peer.Time.WhenArmedAsync(options.Transmission.AckTimeout); // the wait for block 2: the RTO before any measurement
        peer.Reply(probe, CoapCode.Content, Block(1), m => m.Options.Set(new BlockValue(1, true, 2).ToOption(OptionNumber.QBlock2)));
        var set = await peer.NextAsync();
        Assert.Equal([2], Blocks(set, OptionNumber.QBlock2));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        // The wait runs out and block 2 is asked for again; the first copy arrives just then, before the client waits anew.
        hooked!.AfterSend = () =>
        {
            hooked.AfterSend = null;
            peer.Notify(set.Token, CoapMessageType.NonConfirmable, CoapCode.Content, Block(2), m => m.Options.Set(new BlockValue(2, false, 2).ToOption(OptionNumber.QBlock2)));
        };
        peer.Time.Advance(options.Transmission.AckTimeout);
        Assert.Equal([2], Blocks(await peer.NextAsync(), OptionNumber.QBlock2));

        // The copy completes the transfer: the second request needs no answer (without one, no later RTO could run out).
        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Body.AsSpan(0, Total).ToArray(), response.Payload.ToArray());
    }

    [Fact]
    public async Task A_q_block2_probe_answered_with_an_rst_falls_back_to_block2_and_remembers_the_server()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = Size });
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Get, default, null), CoapUri.Parse(ClientLockstep.Uri("big")));

        var get = await peer.NextAsync();
        peer.Reply(get, CoapCode.Content, Block(0), m =>
        {
            m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.Block2));
            m.Options.SetUInt(OptionNumber.Size2, 2 * Size);
        });
        var probe = await peer.NextAsync();
        Assert.Equal([1], Blocks(probe, OptionNumber.QBlock2));
        peer.Deliver(CoapMessage.CreateEmpty(CoapMessageType.Reset, probe.MessageId));

        var plain = await peer.NextAsync();
        Assert.Empty(Blocks(plain, OptionNumber.QBlock2));
        Assert.Equal([1], Blocks(plain, OptionNumber.Block2));
        peer.Reply(plain, CoapCode.Content, Block(1), m => m.Options.Set(new BlockValue(1, false, 2).ToOption(OptionNumber.Block2)));
        Assert.Equal(Body.AsSpan(0, 2 * Size).ToArray(), (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Payload.ToArray());
        Assert.True(peer.Client.IsKnownWithoutQBlock(ClientLockstep.Server));
    }

    [Fact]
    public async Task A_q_block2_block_with_another_etag_ends_the_download_with_a_representation_changed_exception()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = Size });
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Get, default, null), CoapUri.Parse(ClientLockstep.Uri("big")));

        var get = await peer.NextAsync();
        peer.Reply(get, CoapCode.Content, Block(0), m =>
        {
            m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.Block2));
            m.Options.SetUInt(OptionNumber.Size2, (uint)Body.Length);
            Tag(m, [0xE1]);
        });
        var probe = await peer.NextAsync();
        peer.Reply(probe, CoapCode.Content, Block(1), m =>
        {
            m.Options.Set(new BlockValue(1, true, 2).ToOption(OptionNumber.QBlock2));
            Tag(m, [0xE2]);
        });

        var error = await Assert.ThrowsAsync<CoapRepresentationChangedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("ETag differs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_q_block2_request_whose_last_block_is_missing_when_a_later_request_is_answered_is_asked_for_again_without_waiting_for_the_rto()
    {
        // Fake time, advanced only by the test and never as far as the RTO: block 11, the last of the first set, can
        // only come back because a block of the set sent 50 ms later arrived first (RACK, RFC 8985).
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = Size });
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Get, default, null), CoapUri.Parse(ClientLockstep.Uri("big")));

        var get = await peer.NextAsync();
        peer.Reply(get, CoapCode.Content, Body.AsMemory(0, Size), m =>
        {
            m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.Block2));
            m.Options.SetUInt(OptionNumber.Size2, (uint)Body.Length);
        });
        var probe = await peer.NextAsync();
        peer.Reply(probe, CoapCode.Content, Block(1), m => m.Options.Set(new BlockValue(1, true, 2).ToOption(OptionNumber.QBlock2)));

        var first = await peer.NextAsync();
        Assert.Equal(Enumerable.Range(2, 10), Blocks(first, OptionNumber.QBlock2));
        peer.Time.Advance(TimeSpan.FromMilliseconds(50));
        foreach (var number in Enumerable.Range(2, 9))
        {
            Send(peer, first.Token, number, null);
        }

        // The window grew: the rest goes in a second set, 50 ms after the first; its first block comes before block 11.
        var second = await peer.NextAsync();
        Assert.Equal(Enumerable.Range(12, 8), Blocks(second, OptionNumber.QBlock2));
        Send(peer, second.Token, 12, null);

        var again = await peer.NextAsync();
        Assert.Equal([11], Blocks(again, OptionNumber.QBlock2));
        foreach (var number in Enumerable.Range(13, 7).Append(11))
        {
            Send(peer, again.Token, number, null);
        }

        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Body, response.Payload.ToArray());
    }

    private static ReadOnlyMemory<byte> Block(int number) => Body.AsMemory(number * Size, Size);

    private static void Send(ClientLockstep peer, CoapToken token, int number, byte[]? tag) =>
        peer.Notify(token, CoapMessageType.NonConfirmable, CoapCode.Content, Block(number), m =>
        {
            m.Options.Set(new BlockValue(number, (number + 1) * Size < Body.Length, 2).ToOption(OptionNumber.QBlock2));
            Tag(m, tag);
        });

    private static void Tag(CoapMessage message, byte[]? tag)
    {
        if (tag is not null)
        {
            message.Options.Set(new CoapOption(OptionNumber.ETag, tag));
        }
    }
}

using System.Net;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Coap.Engine.Tests.Messaging;

public sealed class DeduplicatorTests
{
    private static readonly CoapPeer Peer = new(new InMemoryTransport(new IPEndPoint(IPAddress.Loopback, 1)), new IPEndPoint(IPAddress.Loopback, 2).Serialize());

    [Fact]
    public void Duplicate_returns_the_reply_recorded_for_it()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(10), 1, 100);
        byte[] reply = [0x60, 0x00, 0x00, 0x01];

        Assert.True(dedup.TryBegin(new MessageKey(Peer, 1), 0, out _));
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 1), 0, out var inProgress));
        dedup.SetReply(new MessageKey(Peer, 1), reply);
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 1), 0, out var replayed));

        Assert.Null(inProgress);
        Assert.Equal(reply, replayed);
    }

    [Fact]
    public void Entries_expire_after_the_lifetime()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(10), 1, 100);
        dedup.TryBegin(new MessageKey(Peer, 1), 0, out _);
        dedup.TryBegin(new MessageKey(Peer, 2), 5, out _);

        dedup.RemoveExpired(10);

        Assert.Equal(1, dedup.Count);
        Assert.True(dedup.TryBegin(new MessageKey(Peer, 1), 10, out _));
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 2), 10, out _));
    }

    [Fact]
    public void Capacity_bounds_memory_by_forgetting_the_oldest()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, 3);
        for (ushort mid = 0; mid < 10; mid++)
        {
            dedup.TryBegin(new MessageKey(Peer, mid), mid, out _);
        }

        Assert.Equal(3, dedup.Count);
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 9), 10, out _));
        Assert.True(dedup.TryBegin(new MessageKey(Peer, 0), 10, out _));
    }

    [Fact]
    public void Reused_message_id_with_another_message_is_a_new_message()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, 100);
        var block1 = Get(token: 0x0102, block: 1);
        byte[] reply = [0x60, 0x45, 0x00, 0x07];

        Assert.True(dedup.TryBegin(new MessageKey(Peer, 7), Deduplicator.Fingerprint(block1), 0, out _));
        dedup.SetReply(new MessageKey(Peer, 7), reply);
        // A retransmission: the same message, decoded again.
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 7), Deduplicator.Fingerprint(Get(token: 0x0102, block: 1)), 1, out var replayed));
        // The ID reused with the same token for another block (libcoap's client at 16-byte blocks), then with another token.
        Assert.True(dedup.TryBegin(new MessageKey(Peer, 7), Deduplicator.Fingerprint(Get(token: 0x0102, block: 65537)), 2, out var none));
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 7), Deduplicator.Fingerprint(Get(token: 0x0102, block: 65537)), 3, out var inProgress));
        Assert.True(dedup.TryBegin(new MessageKey(Peer, 7), Deduplicator.Fingerprint(Get(token: 0x0103, block: 65537)), 4, out _));

        Assert.Equal(reply, replayed);
        Assert.Null(none);
        Assert.Null(inProgress);
        Assert.Equal(1, dedup.Count);
    }

    [Fact]
    public void A_duplicate_whose_reply_the_ring_overwrote_is_still_a_duplicate_without_a_reply()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, 10_000, replySlabs: 1);
        var block = new byte[1024];
        for (ushort mid = 0; mid < 1100; mid++)
        {
            block[0] = (byte)mid;
            dedup.TryBegin(new MessageKey(Peer, mid), 0, out _);
            dedup.SetReply(new MessageKey(Peer, mid), block);
        }

        Assert.False(dedup.TryBegin(new MessageKey(Peer, 0), 0, out var overwritten));
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 1099), 0, out var recent));

        Assert.Null(overwritten);
        Assert.Equal(1099 & 0xFF, recent![0]);
    }

    private static CoapMessage Get(ulong token, int block)
    {
        var message = CoapMessage.CreateRequest(CoapCode.Get, "example_data");
        message.MessageId = 7;
        message.Token = CoapToken.FromUInt64(token, 2);
        message.Options.Set(new BlockValue(block, false, 0).ToOption(OptionNumber.Block2));
        return message;
    }
}

using System.Net;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Coap.Engine.Tests.Messaging;

public sealed class DeduplicatorTests
{
    private const long Memory = 1024 * 1024;

    /// <summary>A peer of this test's own: a peer carries its place in one table.</summary>
    private CoapPeer Peer { get; } = NewPeer(2);

    [Fact]
    public void Duplicate_returns_the_reply_recorded_for_it()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(10), 1, Memory, Memory);
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
        var dedup = new Deduplicator(TimeSpan.FromSeconds(10), 1, Memory, Memory);
        dedup.TryBegin(new MessageKey(Peer, 1), 0, out _);
        dedup.TryBegin(new MessageKey(Peer, 2), 5, out _);

        dedup.RemoveExpired(10);

        Assert.Equal(1, dedup.Count);
        Assert.True(dedup.TryBegin(new MessageKey(Peer, 1), 10, out _));
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 2), 10, out _));
    }

    [Fact]
    public void The_budget_bounds_memory_by_forgetting_the_oldest()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, 3 * Deduplicator.UnitCost, 3 * Deduplicator.UnitCost);
        for (ushort mid = 0; mid < 10; mid++)
        {
            dedup.TryBegin(new MessageKey(Peer, mid), mid, out _);
        }

        Assert.Equal(3, dedup.Count);
        Assert.Equal(3 * Deduplicator.UnitCost, dedup.BytesUsed);
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 9), 10, out _));
        Assert.True(dedup.TryBegin(new MessageKey(Peer, 0), 10, out _));
    }

    [Fact]
    public void A_count_of_entries_still_bounds_them_when_set()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, Memory, Memory, maxEntries: 3);
        for (ushort mid = 0; mid < 10; mid++)
        {
            dedup.TryBegin(new MessageKey(Peer, mid), mid, out _);
        }

        Assert.Equal(3, dedup.Count);
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 9), 10, out _));
    }

    [Fact]
    public void Reused_message_id_with_another_message_is_a_new_message()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, Memory, Memory);
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
    public void A_message_of_the_same_length_with_other_bytes_is_a_new_message()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, Memory, Memory);
        var first = Publication("21.5");
        var second = Publication("22.0");

        Assert.True(dedup.TryBegin(new MessageKey(Peer, 7), Deduplicator.Fingerprint(first), 0, out _));
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 7), Deduplicator.Fingerprint(Publication("21.5")), 1, out _));
        Assert.True(dedup.TryBegin(new MessageKey(Peer, 7), Deduplicator.Fingerprint(second), 2, out _));
    }

    [Fact]
    public void A_long_reply_is_replayed_whole()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, Memory, Memory);
        var reply = new byte[1100];
        new Random(3).NextBytes(reply);

        dedup.TryBegin(new MessageKey(Peer, 1), 0, out _);
        dedup.SetReply(new MessageKey(Peer, 1), reply);
        Assert.False(dedup.TryBegin(new MessageKey(Peer, 1), 0, out var replayed));

        Assert.Equal(reply, replayed);
        Assert.Equal((1 + ((1100 - 1) / Deduplicator.UnitData)) * Deduplicator.UnitCost, dedup.BytesUsed);
    }

    [Fact]
    public void A_peer_over_its_share_forgets_its_own_oldest_and_never_another_peers()
    {
        var quiet = NewPeer(3);
        var busy = NewPeer(4);
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, 100 * Deduplicator.UnitCost, 10 * Deduplicator.UnitCost);
        dedup.TryBegin(new MessageKey(quiet, 1), 0, out _);
        dedup.SetReply(new MessageKey(quiet, 1), [0x60, 0x44, 0x00, 0x01]);

        for (var i = 0; i < 5000; i++)
        {
            var key = new MessageKey(busy, (ushort)i);
            dedup.TryBegin(key, 0, out _);
            dedup.SetReply(key, new byte[i % 3 == 0 ? 200 : 20]);
            Assert.True(busy.DeduplicationUnits <= 10, $"{busy.DeduplicationUnits} units after {i + 1} messages");
        }

        Assert.False(dedup.TryBegin(new MessageKey(quiet, 1), 0, out var replayed));
        Assert.Equal([0x60, 0x44, 0x00, 0x01], replayed);
        Assert.False(dedup.TryBegin(new MessageKey(busy, 4999), 0, out _));
        Assert.True(dedup.TryBegin(new MessageKey(busy, 0), 0, out _));
    }

    [Fact]
    public void Many_busy_peers_together_take_turns_and_leave_a_quiet_peers_reserve_alone()
    {
        var dedup = new Deduplicator(TimeSpan.FromSeconds(1000), 1, 100 * Deduplicator.UnitCost, 40 * Deduplicator.UnitCost);
        var quiet = NewPeer(99);
        var busy = Enumerable.Range(0, 10).Select(NewPeer).ToArray();
        for (ushort mid = 0; mid < 15; mid++)
        {
            dedup.TryBegin(new MessageKey(quiet, mid), 0, out _);
        }

        for (var i = 0; i < 10_000; i++)
        {
            dedup.TryBegin(new MessageKey(busy[i % 10], (ushort)(i / 10)), 0, out _);
        }

        Assert.Equal(10, dedup.ReservedUnits);
        Assert.Equal(100 * Deduplicator.UnitCost, dedup.BytesUsed);
        Assert.Equal(10, quiet.DeduplicationUnits);
        Assert.All(busy, peer => Assert.Equal(9, peer.DeduplicationUnits));
        for (ushort mid = 5; mid < 15; mid++)
        {
            Assert.False(dedup.TryBegin(new MessageKey(quiet, mid), 0, out _));
        }
    }

    /// <summary>
    /// Random traffic from a few peers with replies of every size, reused IDs and expiry, against a plain dictionary:
    /// whatever the table still remembers it replays exactly, and it never holds more than its budget or a peer more
    /// than its share.
    /// </summary>
    [Fact]
    public void Random_traffic_never_replays_a_wrong_reply_nor_exceeds_the_budget()
    {
        const int Budget = 2000 * Deduplicator.UnitCost;
        const int Share = 500 * Deduplicator.UnitCost;
        var random = new Random(1234);
        var peers = Enumerable.Range(0, 5).Select(NewPeer).ToArray();
        var dedup = new Deduplicator(TimeSpan.FromSeconds(2000), 1, Budget, Share);
        var model = new Dictionary<(int Peer, ushort Mid), (ulong Fingerprint, byte[]? Reply)>();
        var replays = 0;
        for (var now = 0L; now < 20_000; now++)
        {
            var p = random.Next(peers.Length);
            var key = new MessageKey(peers[p], (ushort)random.Next(200));
            var fingerprint = (ulong)random.Next(3);
            if (dedup.TryBegin(key, fingerprint, now, out var reply))
            {
                var stored = random.Next(4) == 0 ? null : RandomBytes(random, random.Next(0, 1300));
                if (stored is not null)
                {
                    dedup.SetReply(key, stored);
                }

                model[(p, key.MessageId)] = (fingerprint, stored);
            }
            else
            {
                Assert.True(model.TryGetValue((p, key.MessageId), out var expected), "a duplicate of a message never seen");
                Assert.Equal(expected.Fingerprint, fingerprint);
                if (reply is not null)
                {
                    Assert.Equal(expected.Reply, reply);
                    replays++;
                }
            }

            if (now % 97 == 0)
            {
                dedup.RemoveExpired(now);
            }

            Assert.True(dedup.BytesUsed <= Budget);
            Assert.All(peers, peer => Assert.True(peer.DeduplicationUnits * Deduplicator.UnitCost <= Share));
        }

        Assert.Equal(peers.Sum(peer => peer.DeduplicationUnits) * (long)Deduplicator.UnitCost, dedup.BytesUsed);
        Assert.True(replays > 1000, $"only {replays} replays");
        dedup.RemoveExpired(long.MaxValue);
        Assert.Equal(0, dedup.Count);
        Assert.Equal(0, dedup.BytesUsed);
        Assert.All(peers, peer => Assert.Equal(0, peer.DeduplicationUnits));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static CoapPeer NewPeer(int port) =>
        new(new InMemoryTransport(new IPEndPoint(IPAddress.Loopback, 1)), new IPEndPoint(IPAddress.Loopback, 10000 + port).Serialize());

    private static CoapMessage Publication(string value)
    {
        var message = CoapMessage.CreateRequest(CoapCode.Put, "ps/data/t1", CoapMessageType.NonConfirmable);
        message.MessageId = 7;
        message.Token = CoapToken.FromUInt64(0x0102, 2);
        message.ContentFormat = ContentFormat.TextPlain;
        message.Payload = System.Text.Encoding.UTF8.GetBytes(value);
        return message;
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

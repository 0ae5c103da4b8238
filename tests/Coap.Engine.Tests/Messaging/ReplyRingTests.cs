using Coap.Engine.Messaging;

namespace Coap.Engine.Tests.Messaging;

public sealed class ReplyRingTests
{
    [Fact]
    public void Stored_bytes_read_back_until_the_ring_comes_round_again()
    {
        var ring = new ReplyRing(2);
        var first = ring.Store([1, 2, 3]);
        Assert.Equal([1, 2, 3], ring.Read(first, 3));

        var chunk = new byte[ReplyRing.SlabSize / 2];
        for (var i = 0; i < 3; i++)
        {
            ring.Store(chunk);
        }

        Assert.Equal([1, 2, 3], ring.Read(first, 3));
        ring.Store(chunk);
        Assert.Null(ring.Read(first, 3));
    }

    [Fact]
    public void A_reply_that_does_not_fit_the_rest_of_a_slab_starts_the_next_one()
    {
        var ring = new ReplyRing(4);
        ring.Store(new byte[ReplyRing.SlabSize - 10]);
        var start = ring.Store(Enumerable.Range(0, 20).Select(i => (byte)i).ToArray());

        Assert.Equal(ReplyRing.SlabSize, start);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i), ring.Read(start, 20)!);
    }

    [Fact]
    public void Slabs_are_allocated_only_as_the_ring_reaches_them()
    {
        var ring = new ReplyRing(32);
        Assert.Equal(0, ring.AllocatedSlabs);

        ring.Store(new byte[100]);
        ring.Store(new byte[ReplyRing.SlabSize]);

        Assert.Equal(2, ring.AllocatedSlabs);
        Assert.Equal(32L * ReplyRing.SlabSize, ring.Capacity);
    }
}

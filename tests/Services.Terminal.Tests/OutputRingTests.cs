using Services.Terminal.Sessions;

namespace Services.Terminal.Tests;

public sealed class OutputRingTests
{
    [Fact]
    public void Offsets_keep_counting_across_the_wrap_and_the_oldest_bytes_are_overwritten()
    {
        var ring = new OutputRing(8);

        ring.Append("abcde"u8);
        ring.Append("fghij"u8);

        Assert.Equal((2L, 10L), (ring.Oldest, ring.End));
        Assert.Equal("cdefghij"u8.ToArray(), ring.Copy(2));
        Assert.Equal("hi"u8.ToArray(), ring.Copy(7, 2));
        Assert.Empty(ring.Copy(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Copy(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Copy(11));
    }

    [Fact]
    public void A_write_longer_than_the_ring_keeps_its_tail()
    {
        var ring = new OutputRing(4);
        ring.Append("xy"u8);

        ring.Append("0123456789"u8);

        Assert.Equal((8L, 12L), (ring.Oldest, ring.End));
        Assert.Equal("6789"u8.ToArray(), ring.Copy(8));
    }
}

using Coap.Engine.Oscore;

namespace Coap.Engine.Tests.Oscore;

/// <summary>The replay window (RFC 8613 §7.4) in aiocoap's index/bitfield form; the cases of aiocoap's own doctest.</summary>
public sealed class ReplayWindowTests
{
    [Fact]
    public void Numbers_are_accepted_once_and_the_window_slides()
    {
        var window = new OscoreReplayWindow(32);
        window.InitializeEmpty();

        Assert.True(window.StrikeOut(5));
        Assert.True(window.IsValid(3));
        Assert.False(window.IsValid(5));
        Assert.False(window.StrikeOut(5));
        Assert.True(window.StrikeOut(0));
        Assert.True(window.StrikeOut(1));
        Assert.True(window.StrikeOut(2));
        Assert.False(window.IsValid(1));
        Assert.True(window.IsValid(4));
        Assert.True(window.StrikeOut(35));
        Assert.True(window.IsValid(4));
        Assert.True(window.StrikeOut(36));
        Assert.False(window.IsValid(4));
        Assert.Equal(5, window.Index);
    }

    [Fact]
    public void A_jump_far_ahead_clears_the_bitfield_without_overflowing_the_shift()
    {
        var window = new OscoreReplayWindow(64);
        window.InitializeEmpty();
        Assert.True(window.StrikeOut(3));

        Assert.True(window.StrikeOut(OscoreAlgorithm.MaxSequenceNumber));

        Assert.Equal(1UL << 63, window.Bitfield);
        Assert.False(window.IsValid(3));
        Assert.False(window.IsValid(OscoreAlgorithm.MaxSequenceNumber));
    }

    [Fact]
    public void An_uninitialized_window_accepts_nothing()
    {
        var window = new OscoreReplayWindow();

        Assert.False(window.IsValid(0));
        Assert.False(window.StrikeOut(0));

        window.InitializeFromFreshlySeen(10);
        Assert.False(window.IsValid(10));
        Assert.False(window.IsValid(9));
        Assert.True(window.IsValid(11));
    }
}

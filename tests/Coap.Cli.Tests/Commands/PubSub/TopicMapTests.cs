using System.Formats.Cbor;
using Coap.Cli.Commands.PubSub;

namespace Coap.Cli.Tests.Commands.PubSub;

/// <summary>A broker's map as `ps ls` and `ps show` read it, including dates no calendar can hold.</summary>
public sealed class TopicMapTests
{
    [Fact]
    public void An_expiration_date_reads_as_iso_8601_utc()
    {
        var map = TopicMap.TryRead(Map(writer => writer.WriteInt64(1_700_000_000)));

        Assert.NotNull(map);
        Assert.Equal("2023-11-14T22:13:20Z", map.Values[5]);
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void An_expiration_date_no_calendar_can_hold_is_shown_as_it_came(double seconds)
    {
        var map = TopicMap.TryRead(Map(writer => writer.WriteDouble(seconds)));

        Assert.NotNull(map);
        Assert.StartsWith("1(", map.Values[5], StringComparison.Ordinal);
        Assert.Equal("t", map.Values[0]);
    }

    [Fact]
    public void An_integer_date_past_the_calendar_is_shown_as_it_came()
    {
        var map = TopicMap.TryRead(Map(writer => writer.WriteInt64(long.MaxValue)));

        Assert.NotNull(map);
        Assert.Equal($"1({long.MaxValue})", map.Values[5]);
    }

    /// <summary>{0: "t", 5: 1(seconds)}.</summary>
    private static byte[] Map(Action<CborWriter> seconds)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteInt32(0);
        writer.WriteTextString("t");
        writer.WriteInt32(5);
        writer.WriteTag(CborTag.UnixTimeSeconds);
        seconds(writer);
        writer.WriteEndMap();
        return writer.Encode();
    }
}

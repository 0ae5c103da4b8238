using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Protocol;

public sealed class CoapTokenTests
{
    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("7d")]
    [InlineData("0000")]
    [InlineData("0102030405060708")]
    [InlineData("ffffffffffffffff")]
    [InlineData("00000000000001")]
    public void Bytes_round_trip(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var token = CoapToken.FromSpan(bytes);

        Assert.Equal(bytes.Length, token.Length);
        Assert.Equal(bytes, token.ToArray());
        Assert.Equal(hex, token.ToString());
    }

    [Fact]
    public void Length_is_part_of_identity()
    {
        Assert.NotEqual(CoapToken.FromSpan([0]), CoapToken.FromSpan([0, 0]));
        Assert.NotEqual(CoapToken.Empty, CoapToken.FromSpan([0]));
        Assert.Equal(CoapToken.FromSpan([1, 2]), CoapToken.FromSpan([1, 2]));
        Assert.True(CoapToken.FromSpan([1, 2]) == CoapToken.FromUInt64(0x0102, 2));
        Assert.NotEqual(CoapToken.FromSpan([1, 2]).GetHashCode(), CoapToken.FromSpan([1, 2, 0]).GetHashCode());
    }

    [Fact]
    public void FromUInt64_keeps_the_low_bytes()
    {
        Assert.Equal(new byte[] { 0x34, 0x56 }, CoapToken.FromUInt64(0x123456, 2).ToArray());
        Assert.Empty(CoapToken.FromUInt64(0x123456, 0).ToArray());
    }

    [Fact]
    public void Rejects_more_than_eight_bytes()
    {
        Assert.Throws<ArgumentException>(() => CoapToken.FromSpan(new byte[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CoapToken.FromUInt64(1, 9));
    }
}

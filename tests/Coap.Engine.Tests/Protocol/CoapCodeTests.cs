using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Protocol;

public sealed class CoapCodeTests
{
    [Theory]
    [InlineData(0x00, "0.00")]
    [InlineData(0x01, "0.01")]
    [InlineData(0x45, "2.05")]
    [InlineData(0x5F, "2.31")]
    [InlineData(0x84, "4.04")]
    [InlineData(0xA0, "5.00")]
    [InlineData(0xFF, "7.31")]
    public void ToString_is_class_dot_two_digit_detail(byte value, string text)
    {
        Assert.Equal(text, new CoapCode(value).ToString());
    }

    [Theory]
    [InlineData(0x45, "2.05 Content")]
    [InlineData(0x84, "4.04 Not Found")]
    [InlineData(0x8F, "4.15 Unsupported Content-Format")]
    [InlineData(0x01, "0.01 GET")]
    [InlineData(0x46, "2.06")]
    public void Describe_adds_the_registered_name(byte value, string text)
    {
        Assert.Equal(text, new CoapCode(value).Describe());
    }

    [Fact]
    public void From_builds_class_and_detail()
    {
        var code = CoapCode.From(4, 13);

        Assert.Equal(0x8D, code.Value);
        Assert.Equal(4, code.Class);
        Assert.Equal(13, code.Detail);
        Assert.Equal(CoapCode.RequestEntityTooLarge, code);
    }

    [Fact]
    public void Classifies_requests_and_responses()
    {
        Assert.True(CoapCode.Get.IsRequest);
        Assert.False(CoapCode.Empty.IsRequest);
        Assert.True(CoapCode.Empty.IsEmpty);
        Assert.True(CoapCode.Content.IsResponse);
        Assert.True(CoapCode.Content.IsSuccess);
        Assert.False(CoapCode.NotFound.IsSuccess);
        Assert.True(CoapCode.GatewayTimeout.IsResponse);
        Assert.False(CoapCode.From(7, 1).IsResponse);
    }
}

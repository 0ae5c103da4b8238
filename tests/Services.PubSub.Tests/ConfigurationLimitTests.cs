using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>
/// Configuration strings are at most 255 UTF-8 bytes, so a topic's stored map stays small (a 500 000-character
/// topic-type used to be accepted and persisted).
/// </summary>
public sealed class ConfigurationLimitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task A_text_value_longer_than_255_bytes_is_4_00_and_creates_nothing(int key)
    {
        await using var broker = new TestBroker();
        var value = new string('é', 128);
        var map = key == 0 ? Maps.Topic(value) : Maps.Topic("t", (key, value));

        var response = await broker.Send(CoapCode.Post, "ps", map, Maps.Format);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Contains("255", TestBroker.Text(response), StringComparison.Ordinal);
        Assert.Empty(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }

    [Fact]
    public async Task A_text_value_of_255_bytes_is_accepted()
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t", (4, new string('x', 255))), Maps.Format);

        Assert.Equal(CoapCode.Created, response.Code);
    }

    [Fact]
    public async Task An_ipatch_cannot_grow_a_text_value_past_the_limit()
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t");

        var response = await broker.Send(CoapCode.IPatch, topic, Maps.Of((4, new string('x', 256))), Maps.Format);

        Assert.Equal(CoapCode.BadRequest, response.Code);
    }
}

using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>
/// The exact bytes of a topic's configuration map, written out by hand (draft-ietf-core-coap-pubsub-21 §5.2 keys 0..7
/// in order): what a client decodes must not change with the CBOR library underneath.
/// </summary>
public sealed class ConfigurationWireBytesTests
{
    /// <summary>{0: "t", 1: "ps/data/x", 2: "core.ps.data", 3: 60, 4: "temp", 5: 1(4102444800), 6: 10, 7: 3600}.</summary>
    private const string FullMap = "a8" + "006174" + "0169" + "70732f646174612f78" + "026c" + "636f72652e70732e64617461" + "03183c" + "046474656d70"
        + "05c11af4865700" + "060a" + "07190e10";

    [Fact]
    public async Task The_map_a_topic_is_created_with_is_served_back_byte_for_byte()
    {
        await using var broker = new TestBroker();

        var created = await broker.Send(CoapCode.Post, "ps", Convert.FromHexString(FullMap), Maps.Format);
        var read = await broker.Send(CoapCode.Get, created.GetLocationPath().TrimStart('/'));

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal(FullMap, Convert.ToHexStringLower(created.Payload.Span));
        Assert.Equal(FullMap, Convert.ToHexStringLower(read.Payload.Span));
    }

    [Fact]
    public async Task Fetch_of_some_keys_has_the_same_bytes()
    {
        await using var broker = new TestBroker();
        var created = await broker.Send(CoapCode.Post, "ps", Convert.FromHexString(FullMap), Maps.Format);

        var fetched = await broker.Send(CoapCode.Fetch, created.GetLocationPath().TrimStart('/'), Convert.FromHexString("83030507"), ContentFormat.Cbor);

        Assert.Equal(CoapCode.Content, fetched.Code);
        Assert.Equal("a3" + "03183c" + "05c11af4865700" + "07190e10", Convert.ToHexStringLower(fetched.Payload.Span));
    }
}

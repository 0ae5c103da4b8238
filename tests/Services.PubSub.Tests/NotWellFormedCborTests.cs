using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>
/// CBOR that is not well-formed or not valid (RFC 8949 §3.2.4, §3.3, §3.1 UTF-8, §5.6 repeated keys, nesting past 64)
/// published under a CBOR Content-Format, or given as a topic's initial value, is answered 4.00 and not stored.
/// </summary>
public sealed class NotWellFormedCborTests
{
    public static TheoryData<string, string> Items => new()
    {
        { "additional information 31 on an unsigned integer", "811f" },
        { "additional information 31 on a negative integer", "3f" },
        { "simple value 24 in two bytes", "f818" },
        { "simple value 31 in two bytes", "f81f" },
        { "simple value 16 in two bytes", "f810" },
        { "text that is not UTF-8", "62c328" },
        { "text ending inside a character", "6203c3" },
        { "indefinite-length text split inside a character", "7f61c361a9ff" },
        { "map with a repeated key", "a201020103" },
        { "65 nested arrays", string.Concat(Enumerable.Repeat("81", 65)) + "00" },
        { "65 nested tags", string.Concat(Enumerable.Repeat("c1", 65)) + "00" },
    };

    [Theory]
    [MemberData(nameof(Items))]
    public async Task A_publication_in_content_format_60_is_4_00_and_not_stored(string why, string hex)
    {
        await AssertRefusedAsync(why, Convert.FromHexString(hex), ContentFormat.Cbor);
    }

    [Theory]
    [MemberData(nameof(Items))]
    public async Task A_sequence_or_cbor_suffixed_publication_holding_it_is_4_00_and_not_stored(string why, string hex)
    {
        await AssertRefusedAsync(why, Convert.FromHexString("01" + hex), ContentFormat.CborSeq);
        await AssertRefusedAsync(why, Convert.FromHexString("81" + hex), ContentFormat.SenmlCbor);
    }

    [Fact]
    public async Task A_publication_nested_60_000_deep_is_4_00_and_not_stored()
    {
        await AssertRefusedAsync("60 000 nested arrays", [.. Enumerable.Repeat((byte)0x81, 60_000), 0x00], ContentFormat.Cbor);
    }

    [Fact]
    public async Task Nesting_64_deep_is_published()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");

        var arrays = await broker.Send(CoapCode.Put, data, [.. Enumerable.Repeat((byte)0x81, 64), 0x00], ContentFormat.Cbor);
        var tags = await broker.Send(CoapCode.Put, data, [.. Enumerable.Repeat((byte)0xc1, 64), 0x00], ContentFormat.Cbor);

        Assert.Equal([CoapCode.Created, CoapCode.Changed], new[] { arrays.Code, tags.Code });
    }

    [Theory]
    [MemberData(nameof(Items))]
    public async Task An_initialize_value_holding_it_creates_nothing_and_changes_nothing(string why, string hex)
    {
        await using var broker = new TestBroker();
        var (topic, data) = await broker.CreateAsync("t", (3, ContentFormat.Cbor), (8, new byte[] { 0x01 }));
        var before = (await broker.Send(CoapCode.Get, topic)).Payload.ToArray();
        var initialize = (8, (object?)Convert.FromHexString(hex));

        var create = await broker.Send(CoapCode.Post, "ps", Maps.Topic("u", (3, ContentFormat.Cbor), initialize), Maps.Format);
        var replace = await broker.Send(CoapCode.Post, topic, Maps.Topic("t", (3, ContentFormat.Cbor), initialize), Maps.Format);
        var patch = await broker.Send(CoapCode.IPatch, topic, Maps.Of(initialize), Maps.Format);

        Assert.True(
            create.Code == CoapCode.BadRequest && replace.Code == CoapCode.BadRequest && patch.Code == CoapCode.BadRequest,
            $"{why}: create {create.Code}, replace {replace.Code}, patch {patch.Code}");
        Assert.Single(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
        Assert.Equal(before, (await broker.Send(CoapCode.Get, topic)).Payload.ToArray());
        Assert.Equal(new byte[] { 0x01 }, (await broker.Send(CoapCode.Get, data)).Payload.ToArray());
    }

    private static async Task AssertRefusedAsync(string why, byte[] value, int format)
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        await broker.Send(CoapCode.Put, data, [0x01], ContentFormat.Cbor);

        var response = await broker.Send(CoapCode.Put, data, value, format);

        Assert.True(response.Code == CoapCode.BadRequest, $"{why} (Content-Format {format}): {response.Code}");
        Assert.Contains("CBOR", TestBroker.Text(response), StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x01 }, (await broker.Send(CoapCode.Get, data)).Payload.ToArray());
    }
}

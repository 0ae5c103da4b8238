using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>Malformed bodies and options get the RFC's answer (4.00, 4.02, 4.15), never 5.00, and change nothing.</summary>
public sealed class MalformedInputTests
{
    /// <summary>Tag 1 (epoch seconds) around a value no date can hold, as key 5 of a map that is otherwise a good topic.</summary>
    public static TheoryData<string, byte[]> BadBodies => new()
    {
        { "empty", [] },
        { "truncated map", [0xa2, 0x00, 0x61] },
        { "duplicate key", Maps.Of((0, "t"), (2, "core.ps.data"), (0, "u")) },
        { "bytes after the map", [.. Maps.Topic("t"), 0x00] },
        { "negative key", Maps.Topic("t", (-1, "x")) },
        { "text key", [0xa1, 0x61, 0x30, 0x61, 0x74] },
        { "content-format above 65535", Maps.Topic("t", (3, 70_000)) },
        { "max-subscribers negative", Maps.Topic("t", (6, -1)) },
        { "expiration a text in tag 1", WithExpiration([0xc1, 0x61, 0x78]) },
        { "expiration 10^15 seconds", WithExpiration([0xc1, 0x1b, 0x00, 0x03, 0x8d, 0x7e, 0xa4, 0xc6, 0x80, 0x00]) },
        { "expiration infinity", WithExpiration([0xc1, 0xf9, 0x7c, 0x00]) },
        { "expiration NaN", WithExpiration([0xc1, 0xf9, 0x7e, 0x00]) },
        { "expiration 1e300", WithExpiration([0xc1, 0xfb, 0x7e, 0x37, 0xe4, 0x3c, 0x88, 0x00, 0x75, 0x9c]) },
        { "key 0 with additional information 31", [0xa2, 0x1f, .. Maps.Topic("t").AsSpan(2)] },
        { "key -1 with additional information 31", [0xa2, 0x3f, .. Maps.Topic("t").AsSpan(2)] },
        { "topic-name not UTF-8", [0xa2, 0x00, 0x62, 0xc3, 0x28, .. Maps.Topic("t").AsSpan(4)] },
        { "topic-type a two-byte simple value", [0xa3, .. Maps.Topic("t").AsSpan(1), 0x04, 0xf8, 0x18] },
        { "topic-type nested 60 000 deep", [0xa3, .. Maps.Topic("t").AsSpan(1), 0x04, .. Enumerable.Repeat((byte)0x81, 60_000), 0x00] },
    };

    [Theory]
    [InlineData("ps/data/")]
    [InlineData("ps/data/a/b")]
    [InlineData("ps/data/a?b")]
    [InlineData("elsewhere/x")]
    public async Task A_topic_data_path_that_could_never_be_requested_is_4_00(string path)
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t", (1, path)), Maps.Format);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Empty(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }

    [Fact]
    public async Task A_topic_data_id_longer_than_one_uri_path_option_is_4_00_and_255_bytes_are_fine()
    {
        await using var broker = new TestBroker();

        var tooLong = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t", (1, "ps/data/" + new string('x', 256))), Maps.Format);
        var longest = await broker.Send(CoapCode.Post, "ps", Maps.Topic("u", (1, "ps/data/" + new string('é', 127) + "x")), Maps.Format);

        Assert.Equal(CoapCode.BadRequest, tooLong.Code);
        Assert.Equal(CoapCode.Created, longest.Code);
        Assert.Equal(CoapCode.Created, (await broker.PublishAsync("ps/data/" + new string('é', 127) + "x", "1")).Code);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_malformed_map_creates_nothing_and_gets_4_00_with_a_diagnostic(string why, byte[] body)
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", body, Maps.Format);

        Assert.True(response.Code == CoapCode.BadRequest, $"{why}: {response.Code}");
        Assert.NotEmpty(TestBroker.Text(response));
        Assert.Empty(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_malformed_change_leaves_the_topic_as_it_was_and_gets_4_00(string why, byte[] body)
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t");
        var before = (await broker.Send(CoapCode.Get, topic)).Payload.ToArray();

        var patch = await broker.Send(CoapCode.IPatch, topic, body, Maps.Format);
        var replace = await broker.Send(CoapCode.Post, topic, body, Maps.Format);
        var filter = await broker.Send(CoapCode.Fetch, "ps", body, Maps.Format);

        Assert.True(patch.Code == CoapCode.BadRequest, $"{why}, iPATCH: {patch.Code}");
        Assert.True(replace.Code == CoapCode.BadRequest, $"{why}, POST: {replace.Code}");
        Assert.True(filter.Code == CoapCode.BadRequest, $"{why}, FETCH /ps: {filter.Code}");
        Assert.Equal(before, (await broker.Send(CoapCode.Get, topic)).Payload.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x82, 0x00 })]
    [InlineData(new byte[] { 0x81, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x81, 0x20 })]
    [InlineData(new byte[] { 0x81, 0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff })]
    [InlineData(new byte[] { 0x81, 0x1f })]
    [InlineData(new byte[] { 0x81, 0x3f })]
    [InlineData(new byte[] { 0x81, 0xf8, 0x18 })]
    public async Task A_malformed_array_of_keys_gets_4_00(byte[] body)
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t");

        var response = await broker.Send(CoapCode.Fetch, topic, body, ContentFormat.Cbor);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.NotEmpty(TestBroker.Text(response));
    }

    [Fact]
    public async Task A_map_without_content_format_gets_4_15_and_creates_nothing()
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t");

        var create = await broker.Send(CoapCode.Post, "ps", Maps.Topic("u"));
        var patch = await broker.Send(CoapCode.IPatch, topic, Maps.Of((4, "x")));
        var fetch = await broker.Send(CoapCode.Fetch, topic, Maps.Keys(0));

        Assert.Equal([CoapCode.UnsupportedContentFormat, CoapCode.UnsupportedContentFormat, CoapCode.UnsupportedContentFormat], new[] { create.Code, patch.Code, fetch.Code });
        Assert.Single(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }

    [Fact]
    public async Task An_unrecognised_critical_option_gets_4_02_and_nothing_is_created_or_published()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        var create = broker.Client.NewRequest(CoapCode.Post, Maps.Topic("u"), Maps.Format);
        create.Options.Add(2049, new byte[] { 1 });
        var publish = broker.Client.NewRequest(CoapCode.Put, "1"u8.ToArray(), ContentFormat.TextPlain);
        publish.Options.Add(2049, new byte[] { 1 });

        var created = await broker.Client.SendAsync(create, Coap.Engine.Client.CoapUri.Parse(broker.Uri("ps")), new CancellationTokenSource(TestBroker.Timeout).Token);
        var published = await broker.Client.SendAsync(publish, Coap.Engine.Client.CoapUri.Parse(broker.Uri(data)), new CancellationTokenSource(TestBroker.Timeout).Token);

        Assert.Equal(CoapCode.BadOption, created.Code);
        Assert.Equal(CoapCode.BadOption, published.Code);
        Assert.Single(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, data)).Code);
    }

    [Fact]
    public async Task An_initialize_value_above_max_payload_bytes_gets_4_13_with_size1_and_creates_nothing()
    {
        await using var broker = new TestBroker(new() { ["Modules:PubSub:MaxPayloadBytes"] = "4" });

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t", (3, 0), (8, new byte[5])), Maps.Format);

        Assert.Equal(CoapCode.RequestEntityTooLarge, response.Code);
        Assert.Equal(4u, response.Options.GetUInt(OptionNumber.Size1));
        Assert.Empty(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }

    [Theory]
    [InlineData(ContentFormat.Cbor, new byte[] { })]
    [InlineData(ContentFormat.Cbor, new byte[] { 0x7b, 0x22, 0x76, 0x22 })]
    [InlineData(ContentFormat.Cbor, new byte[] { 0x82, 0x01 })]
    [InlineData(ContentFormat.Cbor, new byte[] { 0x01, 0x02 })]
    [InlineData(ContentFormat.Cbor, new byte[] { 0xff })]
    [InlineData(ContentFormat.CborSeq, new byte[] { 0x01, 0x82, 0x01 })]
    [InlineData(112, new byte[] { 0x9f, 0x01 })]
    public async Task A_publication_that_is_not_the_cbor_its_content_format_says_is_4_00_and_not_stored(int format, byte[] value)
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        await broker.Send(CoapCode.Put, data, [0x01], ContentFormat.Cbor);

        var response = await broker.Send(CoapCode.Put, data, value, format);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Contains("CBOR", TestBroker.Text(response), StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x01 }, (await broker.Send(CoapCode.Get, data)).Payload.ToArray());
    }

    [Fact]
    public async Task Well_formed_cbor_of_any_shape_and_an_empty_sequence_are_published()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");

        var map = await broker.Send(CoapCode.Put, data, [0xa1, 0x61, 0x76, 0xf9, 0x4d, 0x60], ContentFormat.Cbor);
        var indefinite = await broker.Send(CoapCode.Put, data, [0xbf, 0x61, 0x76, 0x9f, 0x7f, 0x62, 0xc3, 0xa9, 0xff, 0xff, 0xff], ContentFormat.Cbor);
        var sequence = await broker.Send(CoapCode.Put, data, [0x01, 0x02], ContentFormat.CborSeq);
        var emptySequence = await broker.Send(CoapCode.Put, data, [], ContentFormat.CborSeq);
        var notCborAtAll = await broker.Send(CoapCode.Put, data, [0xff], ContentFormat.OctetStream);

        Assert.Equal(
            [CoapCode.Created, CoapCode.Changed, CoapCode.Changed, CoapCode.Changed, CoapCode.Changed],
            new[] { map.Code, indefinite.Code, sequence.Code, emptySequence.Code, notCborAtAll.Code });
    }

    [Fact]
    public async Task An_initialize_value_that_is_not_the_cbor_the_topic_takes_is_4_00()
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t", (3, ContentFormat.Cbor), (8, new byte[] { 0x82, 0x01 })), Maps.Format);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Contains("initialize", TestBroker.Text(response), StringComparison.Ordinal);
        Assert.Empty(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }

    private static byte[] WithExpiration(byte[] taggedValue)
    {
        var topic = Maps.Topic("t");
        return [0xa3, .. topic.AsSpan(1), 0x05, .. taggedValue];
    }
}

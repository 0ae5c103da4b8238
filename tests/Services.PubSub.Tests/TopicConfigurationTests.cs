using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>A topic's configuration resource over UDP: GET, FETCH by keys, POST replace, iPATCH, DELETE.</summary>
public sealed class TopicConfigurationTests
{
    [Fact]
    public async Task Get_returns_the_configuration_map_in_the_pubsub_content_format()
    {
        await using var broker = new TestBroker();
        var (topic, data) = await broker.CreateAsync("t", (3, 60), (6, 5));

        var response = await broker.Send(CoapCode.Get, topic);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Maps.Format, response.ContentFormat);
        var map = Maps.Read(response.Payload);
        Assert.Equal("t", map[0]);
        Assert.Equal(data, map[1]);
        Assert.Equal(5UL, map[6]);
    }

    [Fact]
    public async Task An_unknown_topic_is_4_04_for_every_method()
    {
        await using var broker = new TestBroker();

        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, "ps/nothere")).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Fetch, "ps/nothere", Maps.Keys(0), ContentFormat.Cbor)).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Post, "ps/nothere", Maps.Topic("x"), Maps.Format)).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.IPatch, "ps/nothere", Maps.Of((4, "x")), Maps.Format)).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Delete, "ps/nothere")).Code);
    }

    [Fact]
    public async Task Fetch_with_an_array_of_keys_returns_only_those_keys()
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t", (3, 60), (4, "temperature"));

        var response = await broker.Send(CoapCode.Fetch, topic, Maps.Keys(0, 4), ContentFormat.Cbor);

        Assert.Equal(CoapCode.Content, response.Code);
        var map = Maps.Read(response.Payload);
        Assert.Equal(new[] { 0, 4 }, map.Keys.Order());
        Assert.Equal("temperature", map[4]);
    }

    [Fact]
    public async Task Fetch_with_an_unknown_key_or_not_an_array_gets_4_00()
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t");

        Assert.Equal(CoapCode.BadRequest, (await broker.Send(CoapCode.Fetch, topic, Maps.Keys(0, 12), ContentFormat.Cbor)).Code);
        Assert.Equal(CoapCode.BadRequest, (await broker.Send(CoapCode.Fetch, topic, Maps.Of((0, "t")), ContentFormat.Cbor)).Code);
        Assert.Equal(CoapCode.UnsupportedContentFormat, (await broker.Send(CoapCode.Fetch, topic, Maps.Keys(0), ContentFormat.Json)).Code);
    }

    [Fact]
    public async Task Post_replaces_the_configuration_and_omitted_optional_keys_reset()
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t", (3, 60), (4, "temperature"), (7, 30));

        var response = await broker.Send(CoapCode.Post, topic, Maps.Topic("t", (4, "humidity")), Maps.Format);

        Assert.Equal(CoapCode.Changed, response.Code);
        var map = Maps.Read((await broker.Send(CoapCode.Get, topic)).Payload);
        Assert.Equal("humidity", map[4]);
        Assert.False(map.ContainsKey(3));
        Assert.Equal(86400UL, map[7]);
    }

    [Fact]
    public async Task IPatch_changes_only_the_keys_given_and_null_resets_one()
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t", (3, 60), (4, "temperature"), (6, 10));

        var response = await broker.Send(CoapCode.IPatch, topic, Maps.Of((4, "humidity"), (6, null)), Maps.Format);

        Assert.Equal(CoapCode.Changed, response.Code);
        var map = Maps.Read(response.Payload);
        Assert.Equal(60UL, map[3]);
        Assert.Equal("humidity", map[4]);
        Assert.False(map.ContainsKey(6));
    }

    public static TheoryData<string, byte[]> ImmutableChanges => new()
    {
        { "topic-name", Maps.Of((0, "other")) },
        { "topic-data", Maps.Of((1, "ps/data/zzz")) },
        { "resource-type", Maps.Of((2, "core.ps.other")) },
    };

    [Theory]
    [MemberData(nameof(ImmutableChanges))]
    public async Task Changing_topic_name_topic_data_or_resource_type_gets_4_00(string key, byte[] change)
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t");
        var before = (await broker.Send(CoapCode.Get, topic)).Payload.ToArray();

        var patch = await broker.Send(CoapCode.IPatch, topic, change, Maps.Format);
        var post = await broker.Send(CoapCode.Post, topic, change, Maps.Format);

        Assert.True(patch.Code == CoapCode.BadRequest, key);
        Assert.Equal(CoapCode.BadRequest, post.Code);
        Assert.Equal(before, (await broker.Send(CoapCode.Get, topic)).Payload.ToArray());
    }

    [Fact]
    public async Task Changes_with_unknown_keys_or_in_another_format_are_refused()
    {
        await using var broker = new TestBroker();
        var (topic, _) = await broker.CreateAsync("t");

        Assert.Equal(CoapCode.BadRequest, (await broker.Send(CoapCode.IPatch, topic, Maps.Of((20, "x")), Maps.Format)).Code);
        Assert.Equal(CoapCode.BadRequest, (await broker.Send(CoapCode.IPatch, topic, Maps.Of((6, "many")), Maps.Format)).Code);
        Assert.Equal(CoapCode.UnsupportedContentFormat, (await broker.Send(CoapCode.IPatch, topic, Maps.Of((4, "x")), ContentFormat.Cbor)).Code);
    }

    [Fact]
    public async Task Delete_removes_the_topic_and_its_data()
    {
        await using var broker = new TestBroker();
        var (topic, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "v");

        var response = await broker.Send(CoapCode.Delete, topic);

        Assert.Equal(CoapCode.Deleted, response.Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, topic)).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, data)).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.PublishAsync(data, "w")).Code);
        Assert.Empty(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
        Assert.Equal(CoapCode.Created, (await broker.Send(CoapCode.Post, "ps", Maps.Topic("t"), Maps.Format)).Code);
    }

    [Fact]
    public async Task Initialize_counts_as_the_first_publication()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t", (3, 0), (8, "21.5"u8.ToArray()));

        var get = await broker.Send(CoapCode.Get, data);
        var put = await broker.PublishAsync(data, "22", ContentFormat.TextPlain);

        Assert.Equal(CoapCode.Content, get.Code);
        Assert.Equal("21.5", TestBroker.Text(get));
        Assert.Equal(ContentFormat.TextPlain, get.ContentFormat);
        Assert.Equal(CoapCode.Changed, put.Code);
    }
}

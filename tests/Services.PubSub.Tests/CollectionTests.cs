using System.Text;
using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>The topic collection over UDP: discovery, GET with and without ?rt=core.ps.data, FETCH by properties, POST to create.</summary>
public sealed class CollectionTests
{
    [Fact]
    public async Task Well_known_core_finds_the_collection_by_its_resource_type()
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Get, ".well-known/core?rt=core.ps.coll");

        var links = TestBroker.Links(response);
        var link = Assert.Single(links);
        Assert.Equal("/ps", link.Target);
        Assert.Contains("40", link.GetAttribute("ct"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_lists_each_topic_configuration_with_rt_core_ps_conf()
    {
        await using var broker = new TestBroker();
        var (a, _) = await broker.CreateAsync("a");
        var (b, _) = await broker.CreateAsync("b");

        var response = await broker.Send(CoapCode.Get, "ps");

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(ContentFormat.LinkFormat, response.ContentFormat);
        var links = TestBroker.Links(response);
        Assert.Equal(new[] { "/" + a, "/" + b }, links.Select(l => l.Target));
        Assert.All(links, l => Assert.Equal("core.ps.conf", l.GetAttribute("rt")));
    }

    [Fact]
    public async Task Get_with_rt_core_ps_data_lists_the_topic_data_resources()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("temperature", (3, 60));

        var response = await broker.Send(CoapCode.Get, "ps?rt=core.ps.data");

        var link = Assert.Single(TestBroker.Links(response));
        Assert.Equal("/" + data, link.Target);
        Assert.Equal("core.ps.data", link.GetAttribute("rt"));
        Assert.Equal("60", link.GetAttribute("ct"));
        Assert.True(link.HasAttribute("obs"));
    }

    [Theory]
    [InlineData("core.ps.d*", false, true)]
    [InlineData("core.ps.data", false, true)]
    [InlineData("core.ps.conf", true, false)]
    [InlineData("core.ps.c*", true, false)]
    [InlineData("core.ps.*", true, true)]
    [InlineData("core.ps.datax", false, false)]
    [InlineData("core.ps.coll", false, false)]
    public async Task An_rt_query_selects_configuration_or_data_links_with_prefix_wildcards(string rt, bool configuration, bool data)
    {
        await using var broker = new TestBroker();
        var (topic, topicData) = await broker.CreateAsync("t", (3, 0));
        var expected = new List<string>();
        if (configuration)
        {
            expected.Add("/" + topic);
        }

        if (data)
        {
            expected.Add("/" + topicData);
        }

        var response = await broker.Send(CoapCode.Get, "ps?rt=" + rt);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(expected, TestBroker.Links(response).Select(l => l.Target));
    }

    [Fact]
    public async Task An_empty_broker_lists_nothing()
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Get, "ps");

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Empty(TestBroker.Links(response));
    }

    [Fact]
    public async Task Post_creates_a_topic_with_location_path_and_the_full_map()
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("kitchen/temp", (3, 60), (4, "temperature")), Maps.Format);

        Assert.Equal(CoapCode.Created, response.Code);
        Assert.Equal(Maps.Format, response.ContentFormat);
        Assert.Matches("^/?ps/[0-9a-f]{7}$", response.GetLocationPath());
        var map = Maps.Read(response.Payload);
        Assert.Equal("kitchen/temp", map[0]);
        Assert.Matches("^ps/data/[0-9a-f]{7}$", (string)map[1]);
        Assert.Equal("core.ps.data", map[2]);
        Assert.Equal(60UL, map[3]);
        Assert.Equal("temperature", map[4]);
        Assert.Equal(86400UL, map[7]);
        var get = await broker.Send(CoapCode.Get, response.GetLocationPath());
        Assert.Equal(response.Payload.ToArray(), get.Payload.ToArray());
    }

    [Fact]
    public async Task Post_takes_a_topic_data_path_the_client_chose()
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t", (1, "ps/data/mine")), Maps.Format);

        Assert.Equal(CoapCode.Created, response.Code);
        Assert.Equal("ps/data/mine", Maps.Read(response.Payload)[1]);
        Assert.Equal(CoapCode.Created, (await broker.PublishAsync("ps/data/mine", "x")).Code);
    }

    public static TheoryData<string, byte[]> BadCreations => new()
    {
        { "no topic-name", Maps.Of((2, "core.ps.data")) },
        { "no resource-type", Maps.Of((0, "t")) },
        { "wrong resource-type", Maps.Of((0, "t"), (2, "core.ps.other")) },
        { "unknown key", Maps.Topic("t", (9, "x")) },
        { "topic-name not text", Maps.Of((0, 5), (2, "core.ps.data")) },
        { "content-format not uint", Maps.Topic("t", (3, "sixty")) },
        { "expiration without tag 1", Maps.Topic("t", (5, 1_900_000_000)) },
        { "observer-check zero", Maps.Topic("t", (7, 0)) },
        { "initialize without content-format", Maps.Topic("t", (8, new byte[] { 1 })) },
        { "topic-data elsewhere", Maps.Topic("t", (1, "other/data/x")) },
        { "not a map", Maps.Keys(0, 1) },
        { "not CBOR", [0xff, 0x00] },
    };

    [Theory]
    [MemberData(nameof(BadCreations))]
    public async Task Post_with_a_bad_map_is_refused_with_4_00_and_a_diagnostic(string why, byte[] map)
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", map, Maps.Format);

        Assert.True(response.Code == CoapCode.BadRequest, why);
        Assert.NotEmpty(TestBroker.Text(response));
        Assert.Empty(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }

    [Fact]
    public async Task Post_with_an_expiration_in_the_past_is_refused()
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t", (5, DateTimeOffset.UtcNow.AddMinutes(-1))), Maps.Format);

        Assert.Equal(CoapCode.BadRequest, response.Code);
    }

    [Fact]
    public async Task A_second_topic_with_the_same_name_is_refused()
    {
        await using var broker = new TestBroker();
        await broker.CreateAsync("same");

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("same"), Maps.Format);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Contains("same", TestBroker.Text(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_in_another_content_format_gets_4_15()
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t"), ContentFormat.Json);

        Assert.Equal(CoapCode.UnsupportedContentFormat, response.Code);
    }

    [Fact]
    public async Task Creating_beyond_max_topics_gets_4_03_naming_the_limit()
    {
        await using var broker = new TestBroker(new() { ["Modules:PubSub:MaxTopics"] = "2" });
        await broker.CreateAsync("a");
        await broker.CreateAsync("b");

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("c"), Maps.Format);

        Assert.Equal(CoapCode.Forbidden, response.Code);
        Assert.Contains("MaxTopics", TestBroker.Text(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_lists_the_topics_whose_properties_match_every_key_given()
    {
        await using var broker = new TestBroker();
        var (temperature, _) = await broker.CreateAsync("t1", (3, 60), (4, "temperature"));
        await broker.CreateAsync("t2", (3, 0), (4, "temperature"));
        await broker.CreateAsync("h1", (3, 60), (4, "humidity"));

        var response = await broker.Send(CoapCode.Fetch, "ps", Maps.Of((3, 60), (4, "temperature")), Maps.Format);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(ContentFormat.LinkFormat, response.ContentFormat);
        var link = Assert.Single(TestBroker.Links(response));
        Assert.Equal("/" + temperature, link.Target);
        Assert.Equal("core.ps.conf", link.GetAttribute("rt"));
    }

    [Fact]
    public async Task Fetch_with_a_bad_filter_gets_4_00_and_in_another_format_4_15()
    {
        await using var broker = new TestBroker();

        Assert.Equal(CoapCode.BadRequest, (await broker.Send(CoapCode.Fetch, "ps", Maps.Of((42, "x")), Maps.Format)).Code);
        Assert.Equal(CoapCode.UnsupportedContentFormat, (await broker.Send(CoapCode.Fetch, "ps", Encoding.UTF8.GetBytes("x"), ContentFormat.TextPlain)).Code);
    }
}

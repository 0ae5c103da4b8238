using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>Topic-data over UDP: PUT publishes, GET reads, DELETE empties; each limit has its answer.</summary>
public sealed class TopicDataTests
{
    [Fact]
    public async Task The_first_publication_is_2_01_and_later_ones_2_04()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");

        Assert.Equal(CoapCode.Created, (await broker.PublishAsync(data, "1")).Code);
        Assert.Equal(CoapCode.Changed, (await broker.PublishAsync(data, "2")).Code);
    }

    [Fact]
    public async Task Get_returns_the_latest_value_with_its_content_format()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "1");
        await broker.Send(CoapCode.Put, data, [0xa1, 0x01, 0x02], ContentFormat.Cbor);

        var response = await broker.Send(CoapCode.Get, data);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(ContentFormat.Cbor, response.ContentFormat);
        Assert.Equal(new byte[] { 0xa1, 0x01, 0x02 }, response.Payload.ToArray());
    }

    [Fact]
    public async Task Get_before_the_first_publication_is_4_04()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");

        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, data)).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, "ps/data/unknown")).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.PublishAsync("ps/data/unknown", "x")).Code);
    }

    [Fact]
    public async Task A_publication_in_blocks_to_a_topic_that_does_not_exist_is_4_04_at_its_first_block()
    {
        await using var broker = new TestBroker();
        var request = broker.Client.NewRequest(CoapCode.Put, new byte[3000], ContentFormat.TextPlain);
        var blocksAcknowledged = new BlockCount();

        var response = await broker.Client.SendAsync(request, Coap.Engine.Client.CoapUri.Parse(broker.Uri("ps/data/unknown")), blocksAcknowledged, new CancellationTokenSource(TestBroker.Timeout).Token);

        Assert.Equal(CoapCode.NotFound, response.Code);
        Assert.Equal(0, blocksAcknowledged.Reports);
    }

    [Fact]
    public async Task A_publication_in_another_content_format_than_the_topics_gets_4_15()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t", (3, 60));

        var wrong = await broker.PublishAsync(data, "text", ContentFormat.TextPlain);
        var none = await broker.PublishAsync(data, "text", null);

        Assert.Equal(CoapCode.UnsupportedContentFormat, wrong.Code);
        Assert.Equal(CoapCode.UnsupportedContentFormat, none.Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, data)).Code);
        Assert.Equal(CoapCode.Created, (await broker.Send(CoapCode.Put, data, [0x01], ContentFormat.Cbor)).Code);
    }

    [Fact]
    public async Task A_publication_above_max_payload_bytes_gets_4_13_with_size1()
    {
        await using var broker = new TestBroker(new() { ["Modules:PubSub:MaxPayloadBytes"] = "100" });
        var (_, data) = await broker.CreateAsync("t");

        var response = await broker.PublishAsync(data, new string('x', 101));

        Assert.Equal(CoapCode.RequestEntityTooLarge, response.Code);
        Assert.Equal(100U, response.Options.GetUInt(OptionNumber.Size1));
        Assert.Equal(CoapCode.Created, (await broker.PublishAsync(data, new string('x', 100))).Code);
    }

    [Fact]
    public async Task Publishing_faster_than_the_rate_gets_4_29_with_max_age()
    {
        var time = new Coap.Testing.FakeTimeProvider();
        await using var broker = new TestBroker(new() { ["Modules:PubSub:MinPublishInterval"] = "00:00:10" }, time);
        var (_, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "1");
        time.Advance(TimeSpan.FromSeconds(3.5));

        var tooFast = await broker.PublishAsync(data, "2");
        time.Advance(TimeSpan.FromSeconds(7));
        var later = await broker.PublishAsync(data, "3");

        Assert.Equal(CoapCode.TooManyRequests, tooFast.Code);
        Assert.Equal(7U, tooFast.MaxAge);
        Assert.Equal(CoapCode.Changed, later.Code);
        Assert.Equal("3", TestBroker.Text(await broker.Send(CoapCode.Get, data)));
    }

    [Fact]
    public async Task Delete_takes_the_topic_back_to_half_created()
    {
        await using var broker = new TestBroker();
        var (topic, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "1");

        var response = await broker.Send(CoapCode.Delete, data);

        Assert.Equal(CoapCode.Deleted, response.Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, data)).Code);
        Assert.Equal(CoapCode.Content, (await broker.Send(CoapCode.Get, topic)).Code);
        Assert.Equal(CoapCode.Created, (await broker.PublishAsync(data, "2")).Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Delete, "ps/data/unknown")).Code);
    }

    [Fact]
    public async Task Methods_the_resources_do_not_have_get_4_05()
    {
        await using var broker = new TestBroker();
        var (topic, data) = await broker.CreateAsync("t");

        Assert.Equal(CoapCode.MethodNotAllowed, (await broker.Send(CoapCode.Post, data, [1], ContentFormat.OctetStream)).Code);
        Assert.Equal(CoapCode.MethodNotAllowed, (await broker.Send(CoapCode.Put, topic, Maps.Topic("t"), Maps.Format)).Code);
        Assert.Equal(CoapCode.MethodNotAllowed, (await broker.Send(CoapCode.Delete, "ps")).Code);
    }

    [Fact]
    public async Task A_large_publication_travels_block_wise()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        var big = new string('b', 5000);

        Assert.Equal(CoapCode.Created, (await broker.PublishAsync(data, big)).Code);
        Assert.Equal(big, TestBroker.Text(await broker.Send(CoapCode.Get, data)));
    }

    /// <summary>Counts the blocks the server answered 2.31 Continue, as the client reports them.</summary>
    private sealed class BlockCount : IProgress<Coap.Engine.Client.TransferProgress>
    {
        public int Reports { get; private set; }

        public void Report(Coap.Engine.Client.TransferProgress value) => Reports++;
    }
}

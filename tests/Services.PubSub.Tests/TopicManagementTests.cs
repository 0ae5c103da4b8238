using System.Formats.Cbor;
using Coap.Engine.Protocol;
using Coap.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Services.PubSub.Topics;

namespace Services.PubSub.Tests;

/// <summary>
/// Topic management by one client and the subscribers of others: each request carries an identity (as the access
/// policy sees the requester: "loopback" for these loopback clients), the creator's is kept with the topic, and subscribers ended by another client's
/// change are never ended silently (a warning, EventId 710, says how many, whose topic and who).
/// </summary>
public sealed class TopicManagementTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coap-pubsub-mgmt-").FullName;
    private readonly RecordingLogs _logs = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private TestBroker Start() => new(new() { ["Modules:PubSub:StateDirectory"] = _directory }, logs: _logs);

    private static Broker BrokerOf(TestBroker broker) => broker.Server.Services.GetRequiredService<Broker>();

    private (LogLevel Level, string Message, EventId Id)[] Ended() => [.. _logs.Entries.Where(e => e.Id.Id == 710)];

    [Fact]
    public async Task The_creator_is_the_requesting_peer_and_survives_a_restart()
    {
        string topic;
        await using (var first = Start())
        {
            (topic, _) = await first.CreateAsync("t");
            Assert.Equal("loopback", BrokerOf(first).Find(topic.Split('/')[^1])!.Configuration.Creator);
        }

        await using var second = Start();

        Assert.Equal("loopback", BrokerOf(second).Find(topic.Split('/')[^1])!.Configuration.Creator);
    }

    [Fact]
    public async Task Lowering_max_subscribers_below_their_number_logs_who_ended_how_many()
    {
        await using var broker = Start();
        var (topic, data) = await broker.CreateAsync("kitchen");
        await broker.PublishAsync(data, "v");
        using var a = new RawSubscriber(broker.Server.Port, acknowledge: true);
        using var b = new RawSubscriber(broker.Server.Port, acknowledge: true);
        using var c = new RawSubscriber(broker.Server.Port, acknowledge: true);
        await a.SubscribeAsync(data);
        await b.SubscribeAsync(data);
        await c.SubscribeAsync(data);

        var raised = await broker.Send(CoapCode.IPatch, topic, Maps.Of((6, 5)), Maps.Format);
        var quietly = Ended();
        var lowered = await broker.Send(CoapCode.IPatch, topic, Maps.Of((6, 1)), Maps.Format);
        await c.ReceiveUntilAsync(m => !m.Code.IsSuccess);

        Assert.Equal(CoapCode.Changed, raised.Code);
        Assert.Empty(quietly);
        Assert.Equal(CoapCode.Changed, lowered.Code);
        var entry = Assert.Single(Ended());
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("Topic kitchen (created by loopback): 2 subscriber(s) ended with a final 4.04 because loopback lowered max-subscribers to 1", entry.Message);
    }

    [Fact]
    public async Task Deleting_a_topic_or_its_data_with_subscribers_logs_it_and_without_does_not()
    {
        await using var broker = Start();
        var (topic, data) = await broker.CreateAsync("hall");
        var (lonely, _) = await broker.CreateAsync("lonely");
        await broker.PublishAsync(data, "v");
        using var a = new RawSubscriber(broker.Server.Port, acknowledge: true);
        await a.SubscribeAsync(data);

        await broker.Send(CoapCode.Delete, data);
        await a.ReceiveUntilAsync(m => !m.Code.IsSuccess);
        await broker.PublishAsync(data, "w");
        await a.SubscribeAsync(data);
        await broker.Send(CoapCode.Delete, topic);
        await a.ReceiveUntilAsync(m => !m.Code.IsSuccess);
        await broker.Send(CoapCode.Delete, lonely);

        Assert.Equal(
            [
                "Topic hall (created by loopback): 1 subscriber(s) ended with a final 4.04 because loopback deleted the topic's data",
                "Topic hall (created by loopback): 1 subscriber(s) ended with a final 4.04 because loopback deleted the topic",
            ],
            Ended().Select(e => e.Message));
    }

    [Fact]
    public async Task A_state_file_from_before_creators_were_kept_loads_with_an_unknown_creator()
    {
        var writer = new CborWriter();
        writer.WriteStartArray(4);
        writer.WriteTextString("0ld0ld0");
        writer.WriteEncodedValue(ConfigurationCodec.Write(new TopicConfiguration { Name = "old", DataPath = "ps/data/abc" }));
        writer.WriteNull();
        writer.WriteNull();
        writer.WriteEndArray();
        await File.WriteAllBytesAsync(Path.Join(_directory, "0ld0ld0.topic"), writer.Encode());

        await using var broker = Start();

        var topic = BrokerOf(broker).Find("0ld0ld0");
        Assert.NotNull(topic);
        Assert.Null(topic.Configuration.Creator);
        Assert.Equal(CoapCode.Content, (await broker.Send(CoapCode.Get, "ps/0ld0ld0")).Code);
    }

    [Fact]
    public async Task A_creator_stored_as_a_bare_address_before_identities_is_matched_as_it_was()
    {
        await WriteOldTopic("10ca100", "local", "127.0.0.1");
        await WriteOldTopic("f0e1f0e", "remote", "192.0.2.9");
        await WriteOldTopic("0000000", "nobody", null);

        await using var broker = Start();

        Assert.Equal(CoapCode.Forbidden, (await broker.Send(CoapCode.Delete, "ps/f0e1f0e")).Code);
        Assert.Equal(CoapCode.Forbidden, (await broker.Send(CoapCode.Delete, "ps/0000000")).Code);
        Assert.Equal(CoapCode.Deleted, (await broker.Send(CoapCode.Delete, "ps/10ca100")).Code);
    }

    /// <summary>A state file of five items (id, map, value, format, creator) as the broker wrote it when creators were addresses.</summary>
    private async Task WriteOldTopic(string id, string name, string? creator)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(5);
        writer.WriteTextString(id);
        writer.WriteEncodedValue(ConfigurationCodec.Write(new TopicConfiguration { Name = name, DataPath = "ps/data/d" + id[1..] }));
        writer.WriteNull();
        writer.WriteNull();
        if (creator is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteTextString(creator);
        }

        writer.WriteEndArray();
        await File.WriteAllBytesAsync(Path.Join(_directory, id + ".topic"), writer.Encode());
    }
}

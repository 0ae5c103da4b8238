using Coap.Testing;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Services.PubSub.Tests;

/// <summary>State under StateDirectory: written atomically, loaded at start, a corrupt file reported and moved aside.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coap-pubsub-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Topics_configurations_and_last_values_survive_a_restart()
    {
        string topic, data, empty;
        await using (var first = Start())
        {
            (topic, data) = await first.CreateAsync("kitchen", (3, 0), (4, "temperature"), (6, 7));
            (empty, _) = await first.CreateAsync("half");
            await first.PublishAsync(data, "21.5");
            await first.PublishAsync(data, "22.0");
        }

        await using var second = Start();
        var configuration = Maps.Read((await second.Send(CoapCode.Get, topic)).Payload);
        var value = await second.Send(CoapCode.Get, data);

        Assert.Equal("kitchen", configuration[0]);
        Assert.Equal("temperature", configuration[4]);
        Assert.Equal(7UL, configuration[6]);
        Assert.Equal("22.0", TestBroker.Text(value));
        Assert.Equal(ContentFormat.TextPlain, value.ContentFormat);
        Assert.Equal(CoapCode.Content, (await second.Send(CoapCode.Get, empty)).Code);
        Assert.Equal(CoapCode.Changed, (await second.PublishAsync(data, "23")).Code);
        Assert.Equal(CoapCode.BadRequest, (await second.Send(CoapCode.Post, "ps", Maps.Topic("kitchen"), Maps.Format)).Code);
    }

    [Fact]
    public async Task Deleted_topics_and_data_stay_deleted_after_a_restart()
    {
        string gone, data;
        await using (var first = Start())
        {
            (gone, _) = await first.CreateAsync("gone");
            (_, data) = await first.CreateAsync("emptied");
            await first.PublishAsync(data, "x");
            await first.Send(CoapCode.Delete, gone);
            await first.Send(CoapCode.Delete, data);
        }

        await using var second = Start();

        Assert.Equal(CoapCode.NotFound, (await second.Send(CoapCode.Get, gone)).Code);
        Assert.Equal(CoapCode.NotFound, (await second.Send(CoapCode.Get, data)).Code);
        Assert.Single(TestBroker.Links(await second.Send(CoapCode.Get, "ps")));
    }

    [Fact]
    public async Task Each_write_replaces_the_file_whole_and_leaves_no_temp_file()
    {
        await using var broker = Start();
        var (_, data) = await broker.CreateAsync("t");
        for (var i = 0; i < 20; i++)
        {
            await broker.PublishAsync(data, new string('x', i * 50));
        }

        var files = Directory.GetFiles(_directory);
        var file = Assert.Single(files);
        Assert.EndsWith(".topic", file, StringComparison.Ordinal);
        Assert.Equal(19 * 50, State.TopicRecord.Read(File.ReadAllBytes(file)).Value!.Payload.Length);
    }

    [Fact]
    public async Task Every_change_leaves_the_topic_file_complete_or_gone_and_no_temp_file()
    {
        await using var broker = Start();
        var (topic, data) = await broker.CreateAsync("t", (3, 0));
        var file = Path.Combine(_directory, topic.Split('/')[^1] + ".topic");
        var created = State.TopicRecord.Read(await File.ReadAllBytesAsync(file));
        await broker.PublishAsync(data, "v", 0);
        var published = State.TopicRecord.Read(await File.ReadAllBytesAsync(file));
        await broker.Send(CoapCode.IPatch, topic, Maps.Of((4, "kind")), Maps.Format);
        var patched = State.TopicRecord.Read(await File.ReadAllBytesAsync(file));
        await broker.Send(CoapCode.Delete, data);
        var cleared = State.TopicRecord.Read(await File.ReadAllBytesAsync(file));
        await broker.Send(CoapCode.Delete, topic);

        Assert.Equal("t", created.Configuration.Name);
        Assert.Null(created.Value);
        Assert.Equal("v", System.Text.Encoding.UTF8.GetString(published.Value!.Payload));
        Assert.Equal("kind", patched.Configuration.TopicType);
        Assert.Null(cleared.Value);
        Assert.False(File.Exists(file));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task A_temp_file_left_by_an_interrupted_write_is_removed_and_the_old_state_kept()
    {
        string data;
        await using (var first = Start())
        {
            (_, data) = await first.CreateAsync("t");
            await first.PublishAsync(data, "committed");
        }

        var file = Directory.GetFiles(_directory, "*.topic").Single();
        await File.WriteAllBytesAsync(file + ".tmp", [0x84, 0x01]);

        await using var second = Start();

        Assert.Equal("committed", TestBroker.Text(await second.Send(CoapCode.Get, data)));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public async Task A_corrupt_state_file_is_logged_and_moved_aside_and_the_other_topics_load()
    {
        string good;
        await using (var first = Start())
        {
            (good, _) = await first.CreateAsync("good");
        }

        var corrupt = Path.Combine(_directory, "deadbee.topic");
        byte[] garbage = [0x84, 0x67, 0xff, 0x00];
        await File.WriteAllBytesAsync(corrupt, garbage);
        var logs = new RecordingLogs();

        await using var second = Start(logs);

        Assert.Equal(CoapCode.Content, (await second.Send(CoapCode.Get, good)).Code);
        Assert.False(File.Exists(corrupt));
        var aside = Assert.Single(Directory.GetFiles(_directory, "deadbee.topic.corrupt-*"));
        Assert.Equal(garbage, await File.ReadAllBytesAsync(aside));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(corrupt, StringComparison.Ordinal) && e.Message.Contains(aside, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_state_file_whose_record_names_another_topic_is_moved_aside()
    {
        await using (var first = Start())
        {
            await first.CreateAsync("t");
        }

        var file = Directory.GetFiles(_directory, "*.topic").Single();
        File.Move(file, Path.Combine(_directory, "0000000.topic"));

        await using var second = Start();

        Assert.Empty(TestBroker.Links(await second.Send(CoapCode.Get, "ps")));
        Assert.Single(Directory.GetFiles(_directory, "0000000.topic.corrupt-*"));
    }

    [Fact]
    public async Task A_topic_that_expired_while_the_broker_was_down_is_gone_at_start()
    {
        await using (var first = Start())
        {
            await first.CreateAsync("short", (5, DateTimeOffset.UtcNow.AddSeconds(2)));
        }

        var later = new Coap.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
        await using var second = new TestBroker(new() { ["Modules:PubSub:StateDirectory"] = _directory }, later);

        Assert.Empty(TestBroker.Links(await second.Send(CoapCode.Get, "ps")));
        Assert.Empty(Directory.GetFiles(_directory, "*.topic"));
    }

    private TestBroker Start(RecordingLogs? logs = null) =>
        new(new() { ["Modules:PubSub:StateDirectory"] = _directory }, logs: logs);
}

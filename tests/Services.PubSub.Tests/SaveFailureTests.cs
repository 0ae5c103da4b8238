using Coap.Testing;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Services.PubSub.Tests;

/// <summary>
/// A change the broker cannot write to its StateDirectory is refused with 5.00 and a diagnostic, logged, and not
/// made in memory either. The tests run as root, where permissions stop no write, so they put a directory where a
/// file must go or a file where the directory was.
/// </summary>
public sealed class SaveFailureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coap-pubsub-fail-").FullName;
    private readonly RecordingLogs _logs = new();

    public void Dispose()
    {
        if (File.Exists(_directory))
        {
            File.Delete(_directory);
        }
        else
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_publication_or_reconfiguration_that_cannot_be_saved_is_5_00_and_changes_nothing()
    {
        await using var broker = Start();
        var (topic, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "saved");
        var file = FileOf(topic);
        var before = await File.ReadAllBytesAsync(file);
        Directory.CreateDirectory(Path.Combine(file + ".tmp", "in-the-way"));

        var publish = await broker.PublishAsync(data, "lost");
        var patch = await broker.Send(CoapCode.IPatch, topic, Maps.Of((6, 3)), Maps.Format);
        var value = await broker.Send(CoapCode.Get, data);
        var configuration = Maps.Read((await broker.Send(CoapCode.Get, topic)).Payload);

        Assert.Equal(CoapCode.InternalServerError, publish.Code);
        Assert.Contains("could not save", TestBroker.Text(publish), StringComparison.Ordinal);
        Assert.Equal(CoapCode.InternalServerError, patch.Code);
        Assert.Equal("saved", TestBroker.Text(value));
        Assert.False(configuration.ContainsKey(6));
        Assert.Equal(before, await File.ReadAllBytesAsync(file));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(file, StringComparison.Ordinal));

        Directory.Delete(file + ".tmp", recursive: true);
        Assert.Equal(CoapCode.Changed, (await broker.PublishAsync(data, "again")).Code);
        Assert.Equal("again", TestBroker.Text(await broker.Send(CoapCode.Get, data)));
    }

    [Fact]
    public async Task Creating_a_topic_when_the_state_directory_is_gone_is_5_00_and_creates_nothing()
    {
        await using var broker = Start();
        Directory.Delete(_directory);
        await File.WriteAllBytesAsync(_directory, []);

        var create = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t"), Maps.Format);
        var listed = TestBroker.Links(await broker.Send(CoapCode.Get, "ps"));
        File.Delete(_directory);
        Directory.CreateDirectory(_directory);
        var again = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t"), Maps.Format);

        Assert.Equal(CoapCode.InternalServerError, create.Code);
        Assert.Contains("could not save", TestBroker.Text(create), StringComparison.Ordinal);
        Assert.Empty(listed);
        Assert.Equal(CoapCode.Created, again.Code);
    }

    [Fact]
    public async Task Deleting_a_topic_whose_file_cannot_be_removed_is_5_00_and_the_topic_stays()
    {
        await using var broker = Start();
        var (topic, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "v");
        var file = FileOf(topic);
        File.Delete(file);
        Directory.CreateDirectory(Path.Combine(file, "in-the-way"));

        var delete = await broker.Send(CoapCode.Delete, topic);

        Assert.Equal(CoapCode.InternalServerError, delete.Code);
        Assert.Contains("could not save", TestBroker.Text(delete), StringComparison.Ordinal);
        Assert.Equal(CoapCode.Content, (await broker.Send(CoapCode.Get, topic)).Code);
        Assert.Equal("v", TestBroker.Text(await broker.Send(CoapCode.Get, data)));
        Assert.Single(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }

    private string FileOf(string topic) => Path.Combine(_directory, topic.Split('/')[^1] + ".topic");

    private TestBroker Start() => new(new() { ["Modules:PubSub:StateDirectory"] = _directory }, logs: _logs);
}

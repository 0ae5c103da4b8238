using System.Text;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Services.PubSub.State;
using Services.PubSub.Topics;

namespace Services.PubSub.Tests;

/// <summary>
/// Group commit: publications waiting together share their syncs, and each one's task (its 2.01/2.04) completes only
/// after the sync that covers it. The syncs are counted at their seam (<see cref="IDiskSync"/>), which also holds the
/// first one until the test has queued the rest, so the groups are known: the first publication alone, then all
/// the others. The old store synced twice per publication.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("coap-pubsub-group-").FullName;
    private readonly GatedSync _sync = new();

    public void Dispose()
    {
        _sync.Open();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Twenty_publications_to_one_topic_arriving_together_take_four_syncs_and_all_survive_a_reload()
    {
        using var broker = Start(_sync);
        var topic = await CreateAsync(broker, "t");
        var before = _sync.Count;

        _sync.Close();
        var first = broker.PublishAsync(topic, Text("v1"), ContentFormat.TextPlain).AsTask();
        await _sync.Blocked.Task.WaitAsync(Bound);
        var rest = Enumerable.Range(2, 19).Select(i => broker.PublishAsync(topic, Text($"v{i}"), ContentFormat.TextPlain).AsTask()).ToList();
        var answeredBeforeTheSync = first.IsCompleted || rest.Any(task => task.IsCompleted);
        _sync.Open();
        var results = await Task.WhenAll(rest.Prepend(first)).WaitAsync(Bound);

        Assert.False(answeredBeforeTheSync);
        Assert.Equal(4, _sync.Count - before);
        Assert.Equal(new[] { false }.Concat(Enumerable.Repeat(true, 19)), results.Select(r => r.Replaced));
        Assert.Equal("v20", Encoding.UTF8.GetString(broker.Find(topic.Id)!.Value!.Payload));
        using var reloaded = Start(new DiskSync());
        Assert.Equal("v20", Encoding.UTF8.GetString(reloaded.Find(topic.Id)!.Value!.Payload));
    }

    [Fact]
    public async Task Publications_to_three_topics_arriving_together_share_one_sync_of_their_files_and_one_of_the_directory()
    {
        using var broker = Start(_sync);
        var topics = new[] { await CreateAsync(broker, "a"), await CreateAsync(broker, "b"), await CreateAsync(broker, "c") };
        var before = _sync.Count;

        _sync.Close();
        var first = broker.PublishAsync(topics[0], Text("first"), ContentFormat.TextPlain).AsTask();
        await _sync.Blocked.Task.WaitAsync(Bound);
        var rest = Enumerable.Range(0, 30)
            .Select(i => broker.PublishAsync(topics[i % 3], Text($"{topics[i % 3].Configuration.Name}{i}"), ContentFormat.TextPlain).AsTask())
            .ToList();
        _sync.Open();
        await Task.WhenAll(rest.Prepend(first)).WaitAsync(Bound);
        using var reloaded = Start(new DiskSync());

        Assert.Equal(4, _sync.Count - before);
        Assert.Equal(1, _sync.FileSystemCount);
        Assert.Equal(new[] { "a27", "b28", "c29" }, topics.Select(t => Encoding.UTF8.GetString(reloaded.Find(t.Id)!.Value!.Payload)));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public async Task A_publication_queued_behind_the_deletion_of_its_topic_is_refused_and_not_saved()
    {
        using var broker = Start(_sync);
        var topic = await CreateAsync(broker, "t");
        var other = await CreateAsync(broker, "other");
        await broker.PublishAsync(topic, Text("kept"), ContentFormat.TextPlain);

        _sync.Close();
        var blocker = broker.PublishAsync(other, Text("x"), ContentFormat.TextPlain).AsTask();
        await _sync.Blocked.Task.WaitAsync(Bound);
        var deletion = broker.DeleteAsync(topic, "192.0.2.1");
        var late = broker.PublishAsync(topic, Text("late"), ContentFormat.TextPlain).AsTask();
        _sync.Open();

        Assert.True(await deletion.WaitAsync(Bound));
        await Assert.ThrowsAsync<TopicGoneException>(() => late.WaitAsync(Bound));
        await blocker.WaitAsync(Bound);
        using var reloaded = Start(new DiskSync());
        Assert.Null(reloaded.Find(topic.Id));
        Assert.NotNull(reloaded.Find(other.Id));
    }

    [Fact]
    public async Task Publications_beyond_what_may_wait_for_the_disk_are_refused_with_5_03_and_max_age()
    {
        using var broker = Start(_sync);
        var topic = await CreateAsync(broker, "t");

        _sync.Close();
        var first = broker.PublishAsync(topic, Text("first"), ContentFormat.TextPlain).AsTask();
        await _sync.Blocked.Task.WaitAsync(Bound);
        var waiting = Enumerable.Range(0, StateWriter.MaxWaiting).Select(i => broker.PublishAsync(topic, Text($"{i}"), ContentFormat.TextPlain).AsTask()).ToList();
        var refused = await Assert.ThrowsAsync<WriterBusyException>(() => broker.PublishAsync(topic, Text("one too many"), ContentFormat.TextPlain).AsTask());
        _sync.Open();
        await Task.WhenAll(waiting.Prepend(first)).WaitAsync(Bound);
        var answer = await Resources.Answers.Busy(refused);

        Assert.Equal($"{StateWriter.MaxWaiting - 1}", Encoding.UTF8.GetString(broker.Find(topic.Id)!.Value!.Payload));
        Assert.Equal((CoapCode.ServiceUnavailable, 1u), (answer.Code, answer.MaxAge));
        Assert.True((await broker.PublishAsync(topic, Text("accepted again"), ContentFormat.TextPlain)).Replaced);
    }

    [Fact]
    public async Task Stopping_the_broker_waits_for_the_group_being_saved_and_refuses_later_changes()
    {
        var broker = Start(_sync);
        var topic = await CreateAsync(broker, "t");

        _sync.Close();
        var publication = broker.PublishAsync(topic, Text("saved before stopping"), ContentFormat.TextPlain).AsTask();
        await _sync.Blocked.Task.WaitAsync(Bound);
        var stopping = Task.Run(broker.Dispose);
        var stoppedDuringTheSync = await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(300))) == stopping;
        _sync.Open();
        await stopping.WaitAsync(Bound);

        // The publisher's own task resumes on the pool after the writer's; it must succeed, whenever it gets there.
        await publication.WaitAsync(Bound);
        Assert.False(stoppedDuringTheSync);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
        await Assert.ThrowsAsync<WriterBusyException>(() => broker.PublishAsync(topic, Text("too late"), ContentFormat.TextPlain).AsTask());
        using var reloaded = Start(new DiskSync());
        Assert.Equal("saved before stopping", Encoding.UTF8.GetString(reloaded.Find(topic.Id)!.Value!.Payload));
    }

    private Broker Start(IDiskSync sync) =>
        new(Options.Create(new PubSubOptions { StateDirectory = _directory }), TimeProvider.System, NullLogger<Broker>.Instance, sync);

    private static Task<Topic> CreateAsync(Broker broker, string name) =>
        broker.CreateAsync(ConfigurationCodec.Read(Maps.Topic(name)), "192.0.2.1").WaitAsync(Bound);

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The real syncs, counted; while closed, the next sync waits (bounded) until the test opens it again.</summary>
    private sealed class GatedSync : IDiskSync
    {
        private readonly DiskSync _real = new();
        private readonly ManualResetEventSlim _open = new(initialState: true);
        private int _count;
        private int _fileSystemCount;

        public TaskCompletionSource Blocked { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => Volatile.Read(ref _count);

        public int FileSystemCount => Volatile.Read(ref _fileSystemCount);

        public void Close()
        {
            Blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _open.Reset();
        }

        public void Open() => _open.Set();

        public void File(FileStream file)
        {
            Pass();
            _real.File(file);
        }

        public void Files(string directory, IReadOnlyList<string> paths)
        {
            Interlocked.Increment(ref _fileSystemCount);
            Pass();
            _real.Files(directory, paths);
        }

        public void Directory(string directory)
        {
            Pass();
            _real.Directory(directory);
        }

        private void Pass()
        {
            Interlocked.Increment(ref _count);
            if (!_open.IsSet)
            {
                Blocked.TrySetResult();
                _open.Wait(Bound);
            }
        }
    }
}

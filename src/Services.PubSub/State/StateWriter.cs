using Coap.Engine.Hosting;
using Microsoft.Extensions.Logging;
using Services.PubSub.Topics;

namespace Services.PubSub.State;

/// <summary>
/// Group commit. Every change to the broker's saved state goes through one writer loop, in the order the broker
/// accepted it. Publications waiting together are committed as one group: each topic's newest value written once,
/// the files made durable by one sync and the renames by one sync of the directory (<see cref="StateStore.SaveAll"/>);
/// only then do the topics take their new values, the subscribers hear of them and the publishers' tasks complete (so
/// their 2.01/2.04 goes out after the sync that covers them). Other changes (create, reconfigure, clear, delete) run
/// one at a time between groups, with their own writes. The loop runs on the thread pool while there is work, never
/// two at once; publications arriving during a sync form the next group. At most <see cref="MaxWaiting"/> changes wait;
/// one more is refused (<see cref="WriterBusyException"/>, 5.03), which bounds what a flood of publications can hold.
/// </summary>
internal sealed class StateWriter
{
    /// <summary>Changes that may wait for the writer; with 64 KiB publications, 64 MiB at most.</summary>
    public const int MaxWaiting = 1024;

    private readonly Lock _gate = new();
    private readonly StateStore _store;
    private readonly Action<Topic> _published;
    private readonly ILogger _logger;
    private List<Work> _pending = [];
    private List<Work> _spare = [];
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private bool _running;
    private bool _closed;

    /// <param name="published">Called for each topic whose new value a group made durable (the fan-out).</param>
    public StateWriter(StateStore store, Action<Topic> published, ILogger logger)
    {
        _store = store;
        _published = published;
        _logger = logger;
    }

    /// <summary>
    /// Makes <paramref name="value"/> the topic's value once it is on the disk; the task says whether it replaced a
    /// value (false: the first). Faults with <see cref="TopicGoneException"/> when the topic was deleted before the
    /// group, with <see cref="StateWriteException"/> when the group could not be saved (the topic keeps its value);
    /// throws <see cref="WriterBusyException"/> when <see cref="MaxWaiting"/> changes wait already.
    /// </summary>
    public Task<bool> PublishAsync(Topic topic, Publication value)
    {
        var work = new Publishing(topic, value);
        Enqueue(work);
        return work.Done.Task;
    }

    /// <summary>
    /// Runs a change that saves through the store itself, after everything accepted before it; throws
    /// <see cref="WriterBusyException"/> when <see cref="MaxWaiting"/> changes wait already.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> change)
    {
        var work = new Exclusive<T>(change);
        Enqueue(work);
        return work.Done.Task;
    }

    /// <summary>
    /// Refuses every later change (<see cref="WriterBusyException"/>) and waits, at most <paramref name="wait"/>, until
    /// the loop has finished what it accepted, so that shutting down leaves no half-written file; false when the disk
    /// held it longer.
    /// </summary>
    public bool Close(TimeSpan wait)
    {
        lock (_gate)
        {
            _closed = true;
        }

        return _idle.Wait(wait);
    }

    private void Enqueue(Work work)
    {
        lock (_gate)
        {
            if (_closed || _pending.Count >= MaxWaiting)
            {
                throw new WriterBusyException();
            }

            _pending.Add(work);
            if (_running)
            {
                return;
            }

            _running = true;
            _idle.Reset();
        }

        ThreadPool.UnsafeQueueUserWorkItem(static writer => writer.Drain(), this, preferLocal: false);
    }

    private void Drain()
    {
        while (true)
        {
            List<Work> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _running = false;
                    _idle.Set();
                    return;
                }

                batch = _pending;
                _pending = _spare;
                _spare = batch;
            }

            var start = 0;
            while (start < batch.Count)
            {
                var end = start;
                while (end < batch.Count && batch[end] is Publishing)
                {
                    end++;
                }

                if (end > start)
                {
                    Commit(batch, start, end);
                    start = end;
                }
                else
                {
                    ((Change)batch[start++]).Run();
                }
            }

            batch.Clear();
        }
    }

    /// <summary>Commits the publications batch[start..end) as one group.</summary>
    private void Commit(List<Work> batch, int start, int end)
    {
        var values = new Dictionary<Topic, Publication>(ReferenceEqualityComparer.Instance);
        var accepted = new List<Publishing>(end - start);
        for (var i = start; i < end; i++)
        {
            var publishing = (Publishing)batch[i];
            var topic = publishing.Topic;
            lock (topic.Gate)
            {
                if (topic.Deleted)
                {
                    publishing.Done.TrySetException(new TopicGoneException());
                    continue;
                }

                publishing.Replaced = values.ContainsKey(topic) || topic.Value is not null;
            }

            values[topic] = publishing.Value;
            accepted.Add(publishing);
        }

        if (accepted.Count == 0)
        {
            return;
        }

        try
        {
            var records = new List<(string, TopicConfiguration, Publication?)>(values.Count);
            foreach (var (topic, value) in values)
            {
                lock (topic.Gate)
                {
                    records.Add((topic.Id, topic.Configuration, value));
                }
            }

            _store.SaveAll(records);
        }
        catch (Exception error)
        {
            foreach (var publishing in accepted)
            {
                publishing.Done.TrySetException(error);
            }

            return;
        }

        foreach (var (topic, value) in values)
        {
            lock (topic.Gate)
            {
                topic.Value = value;
            }

            BackgroundWork.Run(_logger, "notifying a topic's subscribers", () => _published(topic));
        }

        foreach (var publishing in accepted)
        {
            publishing.Done.TrySetResult(publishing.Replaced);
        }
    }

    private abstract class Work;

    private sealed class Publishing(Topic topic, Publication value) : Work
    {
        public Topic Topic { get; } = topic;

        public Publication Value { get; } = value;

        public bool Replaced { get; set; }

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A change other than a publication, run on its own between groups.</summary>
    private abstract class Change : Work
    {
        /// <summary>Runs the change and completes its task; never throws.</summary>
        public abstract void Run();
    }

    private sealed class Exclusive<T>(Func<T> change) : Change
    {
        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run()
        {
            try
            {
                Done.TrySetResult(change());
            }
            catch (Exception error)
            {
                Done.TrySetException(error);
            }
        }
    }
}

namespace Services.Terminal.Sessions;

/// <summary>
/// Output and its notifications. New output arms a timer of <see cref="SessionSettings.NotifyDelay"/>; when it fires,
/// the output since the last window becomes the observed representation and the observers are notified. A window
/// holds at most <see cref="SessionSettings.NotificationBytes"/> (so that a notification fits one block): of a bigger
/// backlog it holds the newest bytes, and an observer sees the jump in the offset and FETCHes the rest, block-wise
/// and paced by its own requests, instead of the server pushing bulk output as a train of NON notifications. The
/// window that reaches the end of an ended session's output carries the exit status and goes out confirmable.
/// </summary>
internal sealed partial class TerminalSession
{
    private readonly ITimer _notifyTimer;
    private readonly Dictionary<long, (OutputChunk Chunk, long At)> _reads = [];
    private OutputChunk _window = OutputChunk.Empty;
    private long _published;
    private bool _armed;
    private bool _finalSent;

    /// <summary>The current window: what an observer is notified of, and what a registration gets.</summary>
    public OutputChunk Window
    {
        get
        {
            lock (_gate)
            {
                return _window;
            }
        }
    }

    /// <summary>The oldest output still held and the offset after the newest.</summary>
    public (long Oldest, long End) Extent
    {
        get
        {
            lock (_gate)
            {
                return (_ring.Oldest, _ring.End);
            }
        }
    }

    /// <summary>
    /// The output from <paramref name="offset"/> on, at most <see cref="SessionSettings.ReadBytes"/>, with the exit status
    /// when it reaches the end of an ended session; null when the offset lies outside what is held. Each answer is
    /// kept as a snapshot for <see cref="SessionSettings.ReadSnapshotLifetime"/>, and a <paramref name="continuation"/>
    /// (a Block2 request past block 0) is answered from it, so that every block of one transfer comes from the same
    /// bytes while the output grows; a new read is always fresh.
    /// </summary>
    public OutputChunk? Read(long offset, bool continuation)
    {
        var now = _settings.Time.GetTimestamp();
        lock (_gate)
        {
            if (continuation && _reads.TryGetValue(offset, out var kept) && _settings.Time.GetElapsedTime(kept.At, now) < SessionSettings.ReadSnapshotLifetime)
            {
                return kept.Chunk;
            }

            if (offset < _ring.Oldest || offset > _ring.End)
            {
                return null;
            }

            var bytes = _ring.Copy(offset, SessionSettings.ReadBytes);
            var chunk = new OutputChunk(offset, bytes, offset + bytes.Length == _ring.End ? _exit : null);
            Keep(offset, chunk, now);
            return chunk;
        }
    }

    /// <summary>Remembers a snapshot, dropping expired ones and, when still full, the oldest. Callers hold the lock.</summary>
    private void Keep(long offset, OutputChunk chunk, long now)
    {
        foreach (var (key, value) in _reads)
        {
            if (_settings.Time.GetElapsedTime(value.At, now) >= SessionSettings.ReadSnapshotLifetime)
            {
                _reads.Remove(key);
            }
        }

        if (_reads.Count >= SessionSettings.ReadSnapshots)
        {
            _reads.Remove(_reads.MinBy(pair => pair.Value.At).Key);
        }

        _reads[offset] = (chunk, now);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            _ring.Append(data);
        }

        ScheduleNotification();
    }

    private void ScheduleNotification()
    {
        lock (_gate)
        {
            if (_armed)
            {
                return;
            }

            _armed = true;
        }

        _notifyTimer.Change(SessionSettings.NotifyDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timer fired: publish the newest output as the window.</summary>
    private void Publish()
    {
        bool final;
        lock (_gate)
        {
            _armed = false;
            var from = Math.Max(_published, _ring.End - SessionSettings.NotificationBytes);
            var bytes = _ring.Copy(from);
            _published = _ring.End;
            final = _exit is not null && !_finalSent;
            if (bytes.Length == 0 && !final)
            {
                return;
            }

            _finalSent |= final;
            _window = new OutputChunk(from, bytes, _exit);
        }

        Observers.NotifyChanged(confirmable: final);
    }
}

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

    /// <summary>The output from <paramref name="offset"/> to the end, or null when it lies outside what is held.</summary>
    public OutputChunk? Read(long offset)
    {
        lock (_gate)
        {
            if (offset < _ring.Oldest || offset > _ring.End)
            {
                return null;
            }

            return new OutputChunk(offset, _ring.Copy(offset), _exit);
        }
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

namespace Coap.Testing;

/// <summary>A clock that moves only when a test advances it; due timers fire in order, on the advancing thread.</summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Armed)> _scheduleWaiters = [];
    private TimeSpan _elapsed;

    public FakeTimeProvider(DateTimeOffset? start = null)
    {
        Start = start ?? new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    }

    public DateTimeOffset Start { get; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>How long until the earliest timer fires, or null when none is scheduled.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (_gate)
            {
                TimeSpan? earliest = null;
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } due && (earliest is null || due < earliest))
                    {
                        earliest = due;
                    }
                }

                return earliest - _elapsed;
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return Start + _elapsed;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _elapsed.Ticks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing each timer that falls due on the way at its own time.</summary>
    public void Advance(TimeSpan by)
    {
        TimeSpan target;
        lock (_gate)
        {
            target = _elapsed + by;
        }

        while (true)
        {
            FakeTimer? next = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } due && due <= target && (next is null || due < next.DueAt))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _elapsed = target;
                    return;
                }

                _elapsed = next.DueAt!.Value;
                next.DueAt = next.Period > TimeSpan.Zero && next.Period != Timeout.InfiniteTimeSpan ? _elapsed + next.Period : null;
            }

            next.Fire();
        }
    }

    /// <summary>
    /// Completes when some timer is next armed to fire <paramref name="dueTime"/> from now: lets a test await a
    /// timer that another thread (a file system watcher, say) arms, instead of polling for it.
    /// </summary>
    public Task WhenArmedAsync(TimeSpan dueTime)
    {
        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _scheduleWaiters.Add((dueTime, armed));
        }

        return armed.Task;
    }

    internal void Reschedule(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            timer.Period = period;
            timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _elapsed + dueTime;
            for (var i = _scheduleWaiters.Count - 1; i >= 0; i--)
            {
                if (_scheduleWaiters[i].DueTime == dueTime)
                {
                    _scheduleWaiters[i].Armed.TrySetResult();
                    _scheduleWaiters.RemoveAt(i);
                }
            }
        }
    }

    internal void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }
}

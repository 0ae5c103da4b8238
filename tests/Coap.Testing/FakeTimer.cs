namespace Coap.Testing;

/// <summary>A timer of <see cref="FakeTimeProvider"/>.</summary>
internal sealed class FakeTimer : ITimer
{
    private readonly FakeTimeProvider _owner;
    private readonly TimerCallback _callback;
    private readonly object? _state;

    public FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state)
    {
        _owner = owner;
        _callback = callback;
        _state = state;
    }

    public TimeSpan? DueAt { get; set; }

    public TimeSpan Period { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        _owner.Reschedule(this, dueTime, period);
        return true;
    }

    public void Fire() => _callback(_state);

    public void Dispose() => _owner.Remove(this);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

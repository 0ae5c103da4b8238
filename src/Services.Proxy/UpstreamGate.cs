namespace Services.Proxy;

/// <summary>
/// The requests in flight to one upstream: at most a limit at a time, a bounded number waiting for a slot, the rest
/// refused at once so that a slow device never sees more than it can take.
/// </summary>
internal sealed class UpstreamGate
{
    private readonly SemaphoreSlim _slots;
    private readonly int _queueLimit;
    private readonly int _maxInFlight;
    private int _waiting;

    public UpstreamGate(int maxInFlight, int queueLimit)
    {
        _maxInFlight = maxInFlight;
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        _queueLimit = queueLimit;
    }

    /// <summary>Whether the upstream has no request in flight and none waiting (it may be forgotten).</summary>
    public bool Idle => Volatile.Read(ref _waiting) == 0 && _slots.CurrentCount == _maxInFlight;

    /// <summary>Takes a slot, waiting in the queue for at most <paramref name="wait"/>; false when the upstream is busy.</summary>
    public async ValueTask<bool> EnterAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return true;
        }

        if (Interlocked.Increment(ref _waiting) > _queueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            return false;
        }

        try
        {
            return await _slots.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Exit() => _slots.Release();
}

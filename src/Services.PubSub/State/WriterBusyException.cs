namespace Services.PubSub.State;

/// <summary>
/// <see cref="StateWriter.MaxWaiting"/> changes already wait for the disk: one more is refused with 5.03 and Max-Age,
/// so that a peer publishing faster than the disk syncs cannot grow the broker's memory without end.
/// </summary>
internal sealed class WriterBusyException() : Exception("the broker's state directory is behind; retry later")
{
    /// <summary>The Max-Age of the 5.03: when to retry.</summary>
    public const uint RetryAfterSeconds = 1;
}

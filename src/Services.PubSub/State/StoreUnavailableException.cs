namespace Services.PubSub.State;

/// <summary>
/// The shared store (Redis) cannot be reached, or did not answer in time: the change was not acknowledged, so the
/// broker answers 5.03 with Max-Age and the writer retries then. The change may or may not have been stored; it was
/// not made known as done.
/// </summary>
internal sealed class StoreUnavailableException(Exception? cause = null)
    : Exception("the broker's shared store (Redis) is unreachable; retry later", cause)
{
    /// <summary>The Max-Age of the 5.03: when to retry.</summary>
    public const uint RetryAfterSeconds = 2;
}

namespace Coap.Engine.Observe;

/// <summary>
/// Decides whether a notification is newer than the last one taken (RFC 7641 §3.4): its Observe number is ahead
/// of the last one within half the 24-bit space (2^23), or more than 128 seconds have passed since the last one.
/// </summary>
internal sealed class NotificationOrder(TimeProvider time)
{
    private const int Window = 1 << 23;
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(128);

    private bool _any;
    private int _last;
    private long _lastAt;

    /// <summary>True, and remembered as the latest, when the notification is fresh; false when it is stale.</summary>
    public bool TryAccept(int observe)
    {
        var now = time.GetTimestamp();
        var fresh = !_any || IsNewer(observe, _last) || time.GetElapsedTime(_lastAt, now) > Expiry;
        if (fresh)
        {
            _any = true;
            _last = observe;
            _lastAt = now;
        }

        return fresh;
    }

    /// <summary>Whether the 24-bit Observe number <paramref name="observe"/> is ahead of <paramref name="than"/> (RFC 7641 §3.4).</summary>
    public static bool IsNewer(int observe, int than) =>
        (than < observe && observe - than < Window) || (than > observe && than - observe > Window);
}

namespace Coap.Cli.Clock;

/// <summary>
/// One exchange with a time server: local send time t0, server time ts, local receive time t3. The offset assumes
/// the server read its clock halfway through the round trip (NTP's rule).
/// </summary>
internal readonly record struct ClockSample(DateTimeOffset Sent, DateTimeOffset Server, DateTimeOffset Received)
{
    public TimeSpan RoundTrip => Received - Sent;

    /// <summary>ts − (t0 + t3) / 2: how far the server's clock is ahead of ours.</summary>
    public TimeSpan Offset => Server - (Sent + (RoundTrip / 2));
}

using System.Threading.Channels;
using Coap.Engine.Protocol;

namespace Coap.Engine.Observe;

/// <summary>
/// Lets the owner of a client observation (<see cref="Client.CoapClient.ObserveAsync(Protocol.CoapMessage, System.Net.IPEndPoint, ObservationRenewal?, CancellationToken)"/>)
/// ask for a re-registration with the same token now (RFC 7641 §3.3.1), as a proxy does when a new client joins an
/// observation it shares so that the client never starts from a stale value (§5). The answer comes as the next
/// notification. Requests made before the re-registration goes out are served by it, and those made before the
/// observation's first answer by that answer.
/// </summary>
/// <remarks>
/// A request wakes the observation by putting <see cref="Due"/> into the channel its notifications arrive on, so the
/// observation waits for one thing only and allocates nothing per notification.
/// </remarks>
public sealed class ObservationRenewal
{
    /// <summary>What a request puts into the observation's channel; not a message.</summary>
    internal static readonly CoapMessage Due = new();

    private int _requested;
    private ChannelWriter<CoapMessage>? _wake;

    /// <summary>Asks for a re-registration (none before the observation is registered: its first answer is fresh).</summary>
    public void Request()
    {
        if (Interlocked.Exchange(ref _requested, 1) == 0)
        {
            Volatile.Read(ref _wake)?.TryWrite(Due);
        }
    }

    /// <summary>The channel of the observation that reads the requests (null when it ends); a request already made wakes it.</summary>
    internal void Attach(ChannelWriter<CoapMessage>? wake)
    {
        Interlocked.Exchange(ref _wake, wake);
        if (wake is not null && Volatile.Read(ref _requested) != 0)
        {
            wake.TryWrite(Due);
        }
    }

    /// <summary>
    /// Whether a re-registration was asked for since the last one went out; it counts as going out now, so later
    /// requests ask for another one.
    /// </summary>
    internal bool TryTake() => Interlocked.Exchange(ref _requested, 0) != 0;
}

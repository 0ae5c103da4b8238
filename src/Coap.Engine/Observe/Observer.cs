using Coap.Engine.Messaging;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;

namespace Coap.Engine.Observe;

/// <summary>
/// One entry in a resource's list of observers (RFC 7641 §4.1): who, under which token, and the little state the
/// notification rules need. No timer of its own. Every mutable field has one owner, the lock of its resource
/// (<see cref="ResourceObservers"/>): the fan-out, registration and <see cref="ResourceObservers.Detach"/> hold it;
/// after the detach, what the stage still needs comes from the <see cref="DetachedObserver"/> it returned.
/// </summary>
internal sealed class Observer
{
    public Observer(CoapPeer peer, CoapToken token, ObservationVariant variant, long registeredAt)
    {
        Peer = peer;
        Token = token;
        Variant = variant;
        LastConfirmableAt = registeredAt;
    }

    public CoapPeer Peer { get; }

    public CoapToken Token { get; }

    public ObservationVariant Variant { get; }

    /// <summary>Set for an observation registered through OSCORE: each notification to it is protected on its own.</summary>
    public OscoreServerRequest? Oscore { get; init; }

    /// <summary>The position in <see cref="ObservationVariant.Observers"/>.</summary>
    public int Index { get; set; }

    /// <summary>The order of registrations on its resource, so that eviction ends the newest first.</summary>
    public long Registration { get; init; }

    /// <summary>
    /// The Observe value of the registration's answer until the first notification newer than it goes out, then -1: a
    /// render that began before the registration is older than what the client already holds and is not sent to it.
    /// </summary>
    public int RegisteredSequence { get; set; } = -1;

    /// <summary>When the client last proved it is there: its registration or the last CON notification sent.</summary>
    public long LastConfirmableAt { get; set; }

    /// <summary>The NON notifications sent since the last CON (or the registration), for Coap:ObserverCheckNotifications.</summary>
    public int NonConfirmableRun { get; set; }

    /// <summary>The CON notification still being retransmitted, if any, and its current message ID.</summary>
    public Task<TransmissionOutcome>? InFlight { get; set; }

    public ushort InFlightMessageId { get; set; }

    /// <summary>The message ID of the last NON notification, so that an RST for it can be matched.</summary>
    public ushort LastNonConfirmable { get; set; }

    public bool HasNonConfirmable { get; set; }

    /// <summary>Set once by <see cref="ResourceObservers.Detach"/>.</summary>
    public bool Removed { get; set; }

    public ObservationKey Key => new(Peer, Token);
}

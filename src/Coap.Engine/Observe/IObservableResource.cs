using Coap.Engine.Server;

namespace Coap.Engine.Observe;

/// <summary>
/// A resource that can be observed (RFC 7641): it tells its <see cref="Observers"/> when its state changed. The
/// engine registers observers only when the resource is mapped with <see cref="ResourceMetadata.Observable"/> set,
/// which also advertises <c>obs</c> in /.well-known/core (RFC 7641 §6).
/// </summary>
public interface IObservableResource : ICoapResource
{
    /// <summary>The resource's observers and the call that notifies them.</summary>
    ResourceObservers Observers { get; }

    /// <summary>
    /// The observers a registration joins: <see cref="Observers"/> unless the resource serves many paths through one
    /// template ("term/{**path}") and keeps a set per path, so that a change to one path notifies only its observers.
    /// </summary>
    ResourceObservers ObserversFor(CoapRequestContext context) => Observers;
}

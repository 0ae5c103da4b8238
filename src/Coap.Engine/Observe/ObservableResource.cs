using Coap.Engine.Server;

namespace Coap.Engine.Observe;

/// <summary>
/// A <see cref="CoapResource"/> that can be observed (RFC 7641). Map it with
/// <see cref="ResourceMetadata.Observable"/> set and call <see cref="NotifyChanged"/> whenever the state changes:
/// the engine renders the new representation through <c>OnGet</c>/<c>OnFetch</c> and sends it to every observer.
/// </summary>
public abstract class ObservableResource : CoapResource, IObservableResource
{
    /// <summary>The resource's observers; hand it to whatever learns of changes (a timer, a broker) to call <see cref="ResourceObservers.NotifyChanged"/>.</summary>
    public ResourceObservers Observers { get; } = new();

    /// <summary>The state changed: notify every observer (RFC 7641 §4.2). See <see cref="ResourceObservers.NotifyChanged"/>.</summary>
    protected void NotifyChanged(bool confirmable = false) => Observers.NotifyChanged(confirmable);
}

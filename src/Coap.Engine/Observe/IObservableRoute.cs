using Coap.Engine.Server;

namespace Coap.Engine.Observe;

/// <summary>
/// A resource mapped on a template whose matches are observed separately, such as one list of observers per
/// pub-sub topic under "ps/data/{id}": the engine asks it which observers a registration joins. Map it with
/// <see cref="ResourceMetadata.Observable"/> set, as an <see cref="IObservableResource"/>.
/// </summary>
public interface IObservableRoute : ICoapResource
{
    /// <summary>The observers the request's registration joins; null when the request's target cannot be observed (the response goes out without Observe).</summary>
    ResourceObservers? ObserversOf(CoapRequestContext context);

    /// <summary>
    /// The observers a registration (Observe 0) joins, with the registration begun on them
    /// (<see cref="ResourceObservers.BeginRegistration"/>): until the engine ends it (the observer added, or the
    /// registration refused by any stage), <see cref="ResourceObservers.Emptied"/> waits. A route that drops a list
    /// when it empties (an intermediary cancelling its own upstream observation) begins the registration within its
    /// lookup, under the lock it drops lists under, so the last observer leaving in between cannot empty the list this
    /// registration joins. Null as for <see cref="ObserversOf"/>.
    /// </summary>
    ResourceObservers? BeginRegistration(CoapRequestContext context)
    {
        var observers = ObserversOf(context);
        observers?.BeginRegistration();
        return observers;
    }
}

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
}

using Coap.Engine.Server;

namespace Coap.Engine.Observe;

/// <summary>
/// The observers of one resource whose requests share a <see cref="VariantKey"/>: one render per change serves all
/// of them (its context without <see cref="CoapRequestContext.Registration"/>: a render registers nothing). The request rendered is the first registrant's, which by the key's definition stands for every other.
/// </summary>
internal sealed class ObservationVariant
{
    public ObservationVariant(ResourceObservers resource, VariantKey key, CoapRequestContext context)
    {
        Resource = resource;
        Key = key;
        Context = context.ForRenders();
    }

    public ResourceObservers Resource { get; }

    public VariantKey Key { get; }

    public ObserveStage Stage => Key.Stage;

    public CoapRequestContext Context { get; }

    /// <summary>Guarded by the resource's lock; each observer knows its index, so removal is a swap with the last.</summary>
    public List<Observer> Observers { get; } = [];
}

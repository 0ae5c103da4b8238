using Coap.Engine.LinkFormat;
using Coap.Engine.Server;

namespace Coap.Testing;

/// <summary>Test conveniences on the resource tree.</summary>
public static class ResourceTreeExtensions
{
    /// <summary>Maps /.well-known/core as the hosted server does.</summary>
    public static ResourceTree WithWellKnownCore(this ResourceTree tree)
    {
        tree.Map(WellKnownCoreResource.Path, new WellKnownCoreResource(tree), WellKnownCoreResource.Metadata);
        return tree;
    }
}

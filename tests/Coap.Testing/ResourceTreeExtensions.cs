using Coap.Engine.LinkFormat;
using Coap.Engine.Server;
using Coap.Engine.Server.Access;

namespace Coap.Testing;

/// <summary>Test conveniences on the resource tree.</summary>
public static class ResourceTreeExtensions
{
    /// <summary>Maps /.well-known/core as the hosted server does (listing what <paramref name="access"/> lets the requester read).</summary>
    public static ResourceTree WithWellKnownCore(this ResourceTree tree, AccessPolicy? access = null)
    {
        tree.Map(WellKnownCoreResource.Path, new WellKnownCoreResource(tree, access), WellKnownCoreResource.Metadata);
        return tree;
    }
}

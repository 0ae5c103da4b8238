using Coap.Engine.Server;

namespace Coap.Engine.Hosting;

/// <summary>Maps one module's resources onto the tree under the module's name.</summary>
internal sealed class ResourceMapper : IResourceMapper
{
    private readonly ResourceTree _tree;
    private readonly string _owner;

    public ResourceMapper(ResourceTree tree, IServiceProvider services, string owner)
    {
        _tree = tree;
        _owner = owner;
        Services = services;
    }

    public IServiceProvider Services { get; }

    public void Map(string template, ICoapResource resource, ResourceMetadata? metadata = null) =>
        _tree.Map(template, resource, metadata, _owner);

    public void MapForwardProxy(ICoapResource resource, ResourceMetadata? metadata = null) =>
        _tree.MapForwardProxy(resource, metadata, _owner);
}

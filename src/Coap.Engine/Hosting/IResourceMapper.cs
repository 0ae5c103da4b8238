using Coap.Engine.Server;

namespace Coap.Engine.Hosting;

/// <summary>What a module uses to put its resources on the resource tree.</summary>
public interface IResourceMapper
{
    /// <summary>The host's services, to resolve the module's resources and options.</summary>
    IServiceProvider Services { get; }

    /// <summary>
    /// Maps a path template ("time", "files/{**path}", "ps/{topic}") to a resource. Two resources on the same
    /// template are refused at start.
    /// </summary>
    void Map(string template, ICoapResource resource, ResourceMetadata? metadata = null);

    /// <summary>
    /// Makes the resource the forward proxy (RFC 7252 §5.7): it takes every request with Proxy-Uri or Proxy-Scheme,
    /// after the same stages as any resource (access policy, Observe, Block1, Block2). Without one the engine answers
    /// such requests 5.05. Only one module may map it.
    /// </summary>
    void MapForwardProxy(ICoapResource resource, ResourceMetadata? metadata = null);
}

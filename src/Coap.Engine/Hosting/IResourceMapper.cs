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
}

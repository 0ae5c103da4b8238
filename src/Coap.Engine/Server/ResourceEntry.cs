namespace Coap.Engine.Server;

/// <summary>A resource on the tree with its template, metadata and the module that mapped it.</summary>
public sealed class ResourceEntry
{
    internal ResourceEntry(RouteTemplate template, ICoapResource resource, ResourceMetadata metadata, string owner)
    {
        Template = template;
        Resource = resource;
        Metadata = metadata;
        Owner = owner;
    }

    /// <summary>The template as mapped, without a leading '/'.</summary>
    public string Path => Template.Text;

    /// <summary>The link target advertised in /.well-known/core, or null when the path has parameters.</summary>
    public string? LinkTarget => Template.LinkTarget;

    public ICoapResource Resource { get; }

    public ResourceMetadata Metadata { get; }

    /// <summary>The module that mapped the resource ("engine" for built-ins).</summary>
    public string Owner { get; }

    internal RouteTemplate Template { get; }
}

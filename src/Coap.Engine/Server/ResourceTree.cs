using Coap.Engine.Hosting;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>
/// Routes requests by Uri-Path. More specific templates win: templates without a catch-all before those with
/// one, then more literal segments first, then longer templates first.
/// </summary>
public sealed class ResourceTree
{
    /// <summary>The owner of resources the engine maps itself.</summary>
    public const string EngineOwner = "engine";

    /// <summary>What a person does about two modules on one path; the host reports such errors as configuration errors.</summary>
    private const string ChangeAPath = "Change one module's Path in the configuration.";

    private readonly object _gate = new();
    private ResourceEntry[] _entries = [];

    public IReadOnlyList<ResourceEntry> Entries => _entries;

    /// <summary>
    /// Whether a route's metadata says <see cref="ResourceMetadata.RunsInline"/>: without one, the receive thread need
    /// not look a request's route up to know that it goes to a worker.
    /// </summary>
    public bool AnyRouteRunsInline { get; private set; }

    /// <summary>
    /// The forward proxy (RFC 7252 §5.7): the resource that takes every request carrying Proxy-Uri or Proxy-Scheme,
    /// whatever its Uri-Path; null when no module maps one, and such requests are answered 5.05.
    /// </summary>
    public ResourceEntry? ForwardProxy { get; private set; }

    /// <summary>Makes <paramref name="resource"/> the forward proxy; a second one is refused, naming both owners.</summary>
    public void MapForwardProxy(ICoapResource resource, ResourceMetadata? metadata = null, string owner = EngineOwner)
    {
        lock (_gate)
        {
            if (ForwardProxy is { } existing)
            {
                throw new CoapConfigurationException(
                    $"Module '{owner}' maps a forward proxy but module '{existing.Owner}' already does; only one module may take Proxy-Uri requests.");
            }

            ForwardProxy = new ResourceEntry(RouteTemplate.Parse(string.Empty), resource, metadata ?? ResourceMetadata.None, owner);
        }
    }

    /// <summary>
    /// Maps a template; a second resource on the same template is refused, naming both owners, and so is a template
    /// of one module whose catch-all would take another module's paths ("{**path}" mounted at "/" and "time"). The
    /// engine's own resources (/.well-known/core) may sit under any module's catch-all: the more specific route wins.
    /// </summary>
    public void Map(string template, ICoapResource resource, ResourceMetadata? metadata = null, string owner = EngineOwner)
    {
        var parsed = RouteTemplate.Parse(template);
        var observable = resource is IObservableResource or IObservableRoute;
        if ((metadata?.Observable ?? false) != observable)
        {
            throw new ArgumentException(observable
                ? $"The resource at '/{parsed.Text}' can be observed but its metadata does not say Observable: set it, or observers would never be registered."
                : $"The resource at '/{parsed.Text}' says Observable but implements neither IObservableResource nor IObservableRoute.", nameof(metadata));
        }

        lock (_gate)
        {
            foreach (var existing in _entries)
            {
                if (string.Equals(existing.Path, parsed.Text, StringComparison.Ordinal))
                {
                    throw new CoapConfigurationException(
                        $"Path '/{parsed.Text}' of module '{owner}' is already mapped by module '{existing.Owner}'. {ChangeAPath}");
                }

                if (owner != existing.Owner && owner != EngineOwner && existing.Owner != EngineOwner
                    && (parsed.Covers(existing.Template) || existing.Template.Covers(parsed)))
                {
                    throw new CoapConfigurationException(
                        $"Path '/{parsed.Text}' of module '{owner}' overlaps path '/{existing.Path}' of module '{existing.Owner}'. {ChangeAPath}");
                }
            }

            var entries = new List<ResourceEntry>(_entries) { new(parsed, resource, metadata ?? ResourceMetadata.None, owner) };
            entries.Sort(static (a, b) => Compare(a.Template, b.Template));
            _entries = [.. entries];
            AnyRouteRunsInline |= metadata?.RunsInline ?? false;
        }
    }

    /// <summary>Finds the resource for a request's Uri-Path.</summary>
    public bool TryMatch(CoapMessage request, out ResourceEntry? entry, out RouteMatch match)
    {
        foreach (var candidate in _entries)
        {
            if (candidate.Template.TryMatch(request.Options, out match))
            {
                entry = candidate;
                return true;
            }
        }

        entry = null;
        match = RouteMatch.Empty;
        return false;
    }

    private static int Compare(RouteTemplate a, RouteTemplate b)
    {
        if (a.HasCatchAll != b.HasCatchAll)
        {
            return a.HasCatchAll ? 1 : -1;
        }

        var literals = b.LiteralCount.CompareTo(a.LiteralCount);
        return literals != 0 ? literals : b.SegmentCount.CompareTo(a.SegmentCount);
    }
}

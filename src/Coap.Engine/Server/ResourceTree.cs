using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>
/// Routes requests by Uri-Path. More specific templates win: templates without a catch-all before those with
/// one, then more literal segments first, then longer templates first.
/// </summary>
public sealed class ResourceTree
{
    private readonly object _gate = new();
    private ResourceEntry[] _entries = [];

    public IReadOnlyList<ResourceEntry> Entries => _entries;

    /// <summary>Maps a template; a second resource on the same template is refused, naming both owners.</summary>
    public void Map(string template, ICoapResource resource, ResourceMetadata? metadata = null, string owner = "engine")
    {
        var parsed = RouteTemplate.Parse(template);
        lock (_gate)
        {
            foreach (var existing in _entries)
            {
                if (string.Equals(existing.Path, parsed.Text, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"Path '/{parsed.Text}' of module '{owner}' is already mapped by module '{existing.Owner}'.");
                }
            }

            var entries = new List<ResourceEntry>(_entries) { new(parsed, resource, metadata ?? ResourceMetadata.None, owner) };
            entries.Sort(static (a, b) => Compare(a.Template, b.Template));
            _entries = [.. entries];
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

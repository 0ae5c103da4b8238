using System.Globalization;
using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Server.Access;

namespace Coap.Engine.LinkFormat;

/// <summary>
/// /.well-known/core (RFC 6690 §4): the link-format list of the tree's resources built from their metadata,
/// filtered by the request's query (§4.1) and, with an access policy, by what the requester may read: a resource the
/// requester could not GET (the terminal for an anonymous peer) is left out rather than marked.
/// </summary>
internal sealed class WellKnownCoreResource : CoapResource
{
    public const string Path = ".well-known/core";

    private readonly ResourceTree _tree;
    private readonly AccessPolicy? _access;

    public WellKnownCoreResource(ResourceTree tree, AccessPolicy? access = null)
    {
        _tree = tree;
        _access = access;
    }

    public static ResourceMetadata Metadata { get; } = new() { ContentFormats = [ContentFormat.LinkFormat], Hidden = true };

    /// <summary>The link for one resource, or null when it is hidden or its path has parameters.</summary>
    public static WebLink? ToLink(ResourceEntry entry)
    {
        var metadata = entry.Metadata;
        if (metadata.Hidden || entry.LinkTarget is not { } target)
        {
            return null;
        }

        var link = new WebLink(target);
        if (metadata.ResourceTypes.Count > 0)
        {
            link.Add("rt", string.Join(' ', metadata.ResourceTypes));
        }

        if (metadata.Interfaces.Count > 0)
        {
            link.Add("if", string.Join(' ', metadata.Interfaces));
        }

        if (metadata.ContentFormats.Count > 0)
        {
            link.Add("ct", string.Join(' ', metadata.ContentFormats.Select(f => f.ToString(CultureInfo.InvariantCulture))));
        }

        if (metadata.Size is { } size)
        {
            link.Add("sz", size);
        }

        if (metadata.Title is { } title)
        {
            link.Add("title", title);
        }

        if (metadata.Observable)
        {
            link.Add("obs");
        }

        return link;
    }

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context)
    {
        var queries = context.Request.GetUriQueries();

        var principal = _access?.PrincipalOf(context);
        var links = new List<WebLink>();
        foreach (var entry in _tree.Entries)
        {
            if (ToLink(entry) is { } link && (queries.Count == 0 || LinkQueryFilter.Matches(link, queries))
                && (principal is not { } requester || _access!.MayRead(requester, link.Target, entry.Metadata)))
            {
                links.Add(link);
            }
        }

        links.Sort(static (a, b) => string.CompareOrdinal(a.Target, b.Target));
        var payload = Encoding.UTF8.GetBytes(LinkFormatWriter.Write(links));
        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, payload, ContentFormat.LinkFormat));
    }
}

using Coap.Engine.Protocol;
using Microsoft.Extensions.Options;

namespace Coap.Engine.Server.Access;

/// <summary>
/// Who may do what (the "Access" settings): judges each request by the requester (<see cref="Principal"/>), the
/// request's path and whether its method reads or writes the resource it was routed to. Reads are open to anyone and
/// writes to authenticated requesters unless a rule says otherwise; a refusal is 4.01 for an anonymous requester (an
/// identity might be let in) and 4.03 for one that has an identity. Services read it to tell who a requester is and
/// whether it belongs to a group.
/// </summary>
public sealed class AccessPolicy
{
    private readonly PathRule[] _rules;
    private readonly Dictionary<string, HashSet<string>> _groups;

    public AccessPolicy(IOptions<AccessOptions> options)
    {
        var value = options.Value;
        TrustLoopback = value.TrustLoopback;
        _groups = value.Groups.ToDictionary(g => g.Key, g => new HashSet<string>(g.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        _rules = [.. value.Rules.Select(r => new PathRule(r.Key, r.Value, value.Groups)).OrderByDescending(r => r.Depth)];
    }

    /// <summary>Whether a loopback peer on plain CoAP counts as authenticated (<see cref="AccessOptions.TrustLoopback"/>).</summary>
    public bool TrustLoopback { get; }

    /// <summary>The requester of <paramref name="context"/>: its identity, else a trusted loopback peer, else anonymous.</summary>
    public Principal PrincipalOf(CoapRequestContext context)
    {
        if (context.Identity is { } identity)
        {
            return new Principal(PrincipalKind.Identity, identity);
        }

        return TrustLoopback && Principal.IsLoopback(context.RemoteEndPoint.Address) ? Principal.Loopback : Principal.Anonymous;
    }

    /// <summary>Whether <paramref name="principal"/> is an identity that <c>Access:Groups:{group}</c> lists.</summary>
    public bool IsMember(Principal principal, string group) =>
        principal.Kind == PrincipalKind.Identity && _groups.TryGetValue(group, out var members) && members.Contains(principal.Identity!);

    /// <summary>
    /// Whether <paramref name="method"/> writes the resource: every method of a private resource, else those its
    /// metadata declares (<see cref="ResourceMetadata.WriteMethods"/>), by default the unsafe ones.
    /// </summary>
    public static bool IsWrite(ResourceMetadata metadata, CoapCode method)
    {
        if (metadata.Private)
        {
            return true;
        }

        if (metadata.WriteMethods is { } writes)
        {
            for (var i = 0; i < writes.Count; i++)
            {
                if (writes[i] == method)
                {
                    return true;
                }
            }

            return false;
        }

        return method != CoapCode.Get && method != CoapCode.Fetch;
    }

    /// <summary>Null when the request may go on; else the code that refuses it, 4.01 or 4.03.</summary>
    public CoapCode? Refusal(CoapRequestContext context)
    {
        var method = context.Request.Code;
        var write = IsWrite(context.Metadata, method);
        AllowList? allowed = null;
        foreach (var rule in _rules)
        {
            if (rule.Covers(context.Request.Options) && rule.For(method, write) is { } said)
            {
                allowed = said;
                break;
            }
        }

        var list = allowed ?? Default(write);
        if (list.AllowsAnyone)
        {
            return null;
        }

        var principal = PrincipalOf(context);
        if (list.Allows(principal))
        {
            return null;
        }

        return principal.IsAuthenticated ? CoapCode.Forbidden : CoapCode.Unauthorized;
    }

    /// <summary>
    /// Whether <paramref name="principal"/> may GET the resource at <paramref name="path"/> (a link target,
    /// "/files/", its segments percent-encoded), whose metadata is <paramref name="metadata"/>.
    /// </summary>
    public bool MayRead(Principal principal, string path, ResourceMetadata metadata)
    {
        var segments = path.Trim('/') is { Length: > 0 } trimmed ? Array.ConvertAll(trimmed.Split('/'), Uri.UnescapeDataString) : [];
        var write = IsWrite(metadata, CoapCode.Get);
        foreach (var rule in _rules)
        {
            if (rule.Covers(segments) && rule.For(CoapCode.Get, write) is { } list)
            {
                return list.Allows(principal);
            }
        }

        return Default(write).Allows(principal);
    }

    private static AllowList Default(bool write) => write ? AllowList.Authenticated : AllowList.Anyone;
}

namespace Coap.Engine.Server.Access;

/// <summary>
/// The access policy's settings, bound from the "Access" section: whether loopback peers on plain CoAP count as
/// authenticated, groups of identities, and rules per path prefix that say who may read and who may write.
/// </summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>
    /// A peer on loopback (127.0.0.0/8, ::1) without an identity (plain CoAP) counts as authenticated, as the machine's
    /// own user: the README's first commands work on one machine. False makes it anonymous like any other plain peer.
    /// </summary>
    public bool TrustLoopback { get; set; } = true;

    /// <summary>Groups of identities ("admin" → ["alice"]); a rule names a group as "@admin".</summary>
    public Dictionary<string, List<string>> Groups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Rules by path prefix ("files", "files/shared", "/" for everything): who may read and who may write below it.
    /// The longest prefix that says something about a request decides; what no rule decides falls to the defaults
    /// (read: anyone; write: authenticated).
    /// </summary>
    public Dictionary<string, AccessRule> Rules { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Who may do what under one path prefix. Each value is a list of entries separated by spaces or commas:
/// <c>anyone</c>, <c>authenticated</c> (an identity, or a trusted loopback peer), <c>loopback</c> (a trusted loopback
/// peer), <c>nobody</c>, <c>@group</c>, or an identity. A method's own key (GET, FETCH, POST, PUT, DELETE, PATCH,
/// iPATCH) wins over <see cref="Read"/> and <see cref="Write"/> in the same rule.
/// </summary>
public sealed class AccessRule
{
    /// <summary>Methods the resource does not declare as changes: GET (and Observe), FETCH, and for DNS over CoAP POST.</summary>
    public string? Read { get; set; }

    /// <summary>Methods that change things (the resource declares which; by default POST, PUT, DELETE, PATCH, iPATCH) and every method of a private resource.</summary>
    public string? Write { get; set; }

    public string? Get { get; set; }

    public string? Fetch { get; set; }

    public string? Post { get; set; }

    public string? Put { get; set; }

    public string? Delete { get; set; }

    public string? Patch { get; set; }

    public string? IPatch { get; set; }
}

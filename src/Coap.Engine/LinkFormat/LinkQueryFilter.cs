using System.Diagnostics.CodeAnalysis;

namespace Coap.Engine.LinkFormat;

/// <summary>
/// Query filtering of /.well-known/core (RFC 6690 §4.1): <c>?rt=core.ps*</c>, <c>?href=/files*</c>, <c>?ct=40</c>.
/// A value ending in '*' matches by prefix; <c>href</c> is compared with the link target, any other name with the
/// values of the attributes of that name, each element of a list-valued attribute (rt, if, rel, rev, ct) on its own.
/// RFC 6690 lets a server support a single query parameter; this filter requires every parameter to match.
/// </summary>
public static class LinkQueryFilter
{
    /// <summary>
    /// Whether the link matches every query (the Uri-Query option values of the request). No query matches every
    /// link; a query without '=' or naming an attribute the link lacks matches nothing.
    /// </summary>
    public static bool Matches(WebLink link, IReadOnlyList<string> queries)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(queries);
        for (var i = 0; i < queries.Count; i++)
        {
            if (!TryParseQuery(queries[i], out var name, out var value) || !Matches(link, name, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the link matches one "name=value" filter: <paramref name="value"/> ending in '*' is a prefix,
    /// anything else must be equal (ordinal). Names compare case-insensitively.
    /// </summary>
    public static bool Matches(WebLink link, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var pattern = value.AsSpan();
        var prefix = pattern.EndsWith('*');
        if (prefix)
        {
            pattern = pattern[..^1];
        }

        if (WebLink.NameEquals(name, "href"))
        {
            return ValueMatches(link.Target, pattern, prefix);
        }

        var split = WebLink.IsListValued(name);
        foreach (var attribute in link.Attributes)
        {
            if (attribute.Value is not { } attributeValue || !WebLink.NameEquals(attribute.Name, name))
            {
                continue;
            }

            if (split ? AnyElementMatches(attributeValue, pattern, prefix) : ValueMatches(attributeValue, pattern, prefix))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Splits one Uri-Query value "name=value" at its first '='. Fails for a query with no '=' or an empty name,
    /// which can select nothing.
    /// </summary>
    public static bool TryParseQuery(string query, [NotNullWhen(true)] out string? name, [NotNullWhen(true)] out string? value)
    {
        var equals = query is null ? -1 : query.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            name = null;
            value = null;
            return false;
        }

        name = query![..equals];
        value = query[(equals + 1)..];
        return true;
    }

    private static bool ValueMatches(ReadOnlySpan<char> candidate, ReadOnlySpan<char> pattern, bool prefix) =>
        prefix ? candidate.StartsWith(pattern, StringComparison.Ordinal) : candidate.SequenceEqual(pattern);

    /// <summary>Tries each whitespace-separated element without allocating.</summary>
    private static bool AnyElementMatches(string list, ReadOnlySpan<char> pattern, bool prefix)
    {
        var rest = list.AsSpan();
        while (true)
        {
            var start = 0;
            while (start < rest.Length && char.IsWhiteSpace(rest[start]))
            {
                start++;
            }

            if (start == rest.Length)
            {
                return false;
            }

            rest = rest[start..];
            var end = 0;
            while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
            {
                end++;
            }

            if (ValueMatches(rest[..end], pattern, prefix))
            {
                return true;
            }

            rest = rest[end..];
        }
    }
}

namespace Coap.Engine.Server;

/// <summary>
/// The values a route template captured: "{name}" captures one segment, "{**name}" the remaining segments
/// (possibly none). Segments are the unescaped Uri-Path option values.
/// </summary>
public sealed class RouteMatch
{
    internal static readonly RouteMatch Empty = new([], []);

    private readonly string[] _names;
    private readonly string[][] _values;

    internal RouteMatch(string[] names, string[][] values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>The single segment captured by "{name}", or the catch-all segments joined with '/'.</summary>
    public string? this[string name] => TryGetSegments(name, out var segments) ? string.Join('/', segments) : null;

    /// <summary>The segments captured under a name.</summary>
    public bool TryGetSegments(string name, out IReadOnlyList<string> segments)
    {
        var index = Array.IndexOf(_names, name);
        segments = index >= 0 ? _values[index] : [];
        return index >= 0;
    }
}

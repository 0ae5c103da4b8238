using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>
/// A parsed path template: literal segments, "{name}" for one segment and a final "{**name}" for the rest.
/// Literal segments are kept as UTF-8 so matching compares option bytes without building strings.
/// </summary>
internal sealed class RouteTemplate
{
    private readonly Segment[] _segments;
    private readonly string[] _captureNames;

    private RouteTemplate(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
        var names = new List<string>();
        foreach (var segment in segments)
        {
            if (segment.Kind != SegmentKind.Literal)
            {
                names.Add(segment.Name);
            }
        }

        _captureNames = [.. names];
        LiteralCount = segments.Length - names.Count;
        HasCatchAll = segments.Length > 0 && segments[^1].Kind == SegmentKind.CatchAll;
    }

    private enum SegmentKind
    {
        Literal,
        Parameter,
        CatchAll,
    }

    /// <summary>The normalised template, without a leading '/'.</summary>
    public string Text { get; }

    public int LiteralCount { get; }

    public bool HasCatchAll { get; }

    public int SegmentCount => _segments.Length;

    public bool HasParameters => _captureNames.Length > 0;

    /// <summary>The literal segments before the first parameter, as a path ("/files/" for "files/{**path}", "/" for "{**path}").</summary>
    public string? LinkTarget
    {
        get
        {
            if (_segments.Length > 0 && _segments[0].Kind == SegmentKind.Literal && Array.FindIndex(_segments, s => s.Kind == SegmentKind.Parameter) < 0)
            {
                var literals = _segments.TakeWhile(s => s.Kind == SegmentKind.Literal).Select(s => Uri.EscapeDataString(s.Name));
                return "/" + string.Join('/', literals) + (HasCatchAll ? "/" : string.Empty);
            }

            return _segments.Length == 0 || (_segments.Length == 1 && HasCatchAll) ? "/" : null;
        }
    }

    /// <summary>
    /// Whether this template ends in a catch-all that would take requests meant for <paramref name="other"/>: every
    /// segment of ours before the catch-all is a literal that <paramref name="other"/> has at the same place (or a
    /// parameter or catch-all of its own, which could hold it).
    /// </summary>
    public bool Covers(RouteTemplate other)
    {
        var prefix = _segments.Length - 1;
        if (!HasCatchAll || other._segments.Length < prefix)
        {
            return false;
        }

        for (var i = 0; i < prefix; i++)
        {
            if (_segments[i].Kind != SegmentKind.Literal)
            {
                return false;
            }

            var theirs = other._segments[i];
            if (theirs.Kind == SegmentKind.Literal && !string.Equals(theirs.Name, _segments[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static RouteTemplate Parse(string template)
    {
        var text = template.Trim('/');
        if (text.Length == 0)
        {
            return new RouteTemplate(text, []);
        }

        var parts = text.Split('/');
        var segments = new Segment[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.StartsWith("{**", StringComparison.Ordinal) && part.EndsWith('}'))
            {
                if (i != parts.Length - 1)
                {
                    throw new ArgumentException($"In route '{template}' a catch-all parameter must be the last segment.", nameof(template));
                }

                segments[i] = new Segment(SegmentKind.CatchAll, part[3..^1], []);
            }
            else if (part.StartsWith('{') && part.EndsWith('}'))
            {
                segments[i] = new Segment(SegmentKind.Parameter, part[1..^1], []);
            }
            else if (part.Length == 0 || part.Contains('{') || part.Contains('}'))
            {
                throw new ArgumentException($"Route '{template}' has an empty or malformed segment.", nameof(template));
            }
            else
            {
                segments[i] = new Segment(SegmentKind.Literal, part, Encoding.UTF8.GetBytes(part));
            }
        }

        return new RouteTemplate(text, segments);
    }

    /// <summary>Matches the request's Uri-Path options; captures are only built when the template has parameters.</summary>
    public bool TryMatch(CoapOptionList options, out RouteMatch match)
    {
        match = RouteMatch.Empty;
        var index = 0;
        List<string>? rest = null;
        string[][]? values = HasParameters ? new string[_captureNames.Length][] : null;
        var capture = 0;
        foreach (var option in options.GetAll(OptionNumber.UriPath))
        {
            if (index >= _segments.Length)
            {
                return false;
            }

            var segment = _segments[index];
            switch (segment.Kind)
            {
                case SegmentKind.Literal:
                    if (!option.Value.Span.SequenceEqual(segment.Utf8))
                    {
                        return false;
                    }

                    index++;
                    break;
                case SegmentKind.Parameter:
                    values![capture++] = [option.GetString()];
                    index++;
                    break;
                default:
                    (rest ??= []).Add(option.GetString());
                    break;
            }
        }

        if (index < _segments.Length && _segments[index].Kind == SegmentKind.CatchAll)
        {
            values![capture] = rest is null ? [] : [.. rest];
            index++;
        }

        if (index != _segments.Length)
        {
            return false;
        }

        if (values is not null)
        {
            match = new RouteMatch(_captureNames, values);
        }

        return true;
    }

    private readonly record struct Segment(SegmentKind Kind, string Name, byte[] Utf8);
}

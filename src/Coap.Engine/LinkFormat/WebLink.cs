using System.Globalization;
using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.LinkFormat;

/// <summary>
/// One link of a CoRE Link Format document (RFC 6690 §2): a target URI-reference and its ordered target
/// attributes, such as <c>&lt;/sensors/temp&gt;;rt="temperature-c";if="sensor";ct=0;obs</c>.
/// </summary>
public sealed class WebLink
{
    private readonly List<LinkAttribute> _attributes = [];

    /// <summary>A link to <paramref name="target"/>, a URI-reference as it appears between '&lt;' and '&gt;'.</summary>
    public WebLink(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    /// <summary>The target URI-reference, percent-encoded as written in the document ("/a/b%20c").</summary>
    public string Target { get; }

    /// <summary>The attributes in document order; a name may occur more than once.</summary>
    public IReadOnlyList<LinkAttribute> Attributes => _attributes;

    /// <summary>
    /// A link whose target is the absolute path of these (unencoded) Uri-Path segments, each percent-encoded as
    /// RFC 7252 §6.5 composes a path: <c>["a b", "c"]</c> gives <c>&lt;/a%20b/c&gt;</c>; no segment gives "/".
    /// </summary>
    public static WebLink ForPath(IReadOnlyList<string> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count == 0)
        {
            return new WebLink("/");
        }

        var builder = new StringBuilder();
        for (var i = 0; i < segments.Count; i++)
        {
            builder.Append('/');
            PercentEncoding.AppendPathSegment(builder, segments[i]);
        }

        return new WebLink(builder.ToString());
    }

    /// <summary>
    /// Adds an attribute; a null value makes a valueless attribute (<c>obs</c>). The name must be an RFC 6690 §2
    /// parmname (letters, digits and <c>!#$&amp;+-.^_`|~</c>), optionally ending in '*' (RFC 8187 extended value).
    /// </summary>
    /// <returns>This link, so that attributes can be chained.</returns>
    public WebLink Add(string name, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid link-param name (RFC 6690 §2).", nameof(name));
        }

        _attributes.Add(new LinkAttribute(name, value));
        return this;
    }

    /// <summary>Adds a numeric attribute such as <c>ct=40</c> or <c>sz=1024</c>.</summary>
    public WebLink Add(string name, long value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether the link has an attribute of this name, with or without a value.</summary>
    public bool HasAttribute(string name) => IndexOf(name) >= 0;

    /// <summary>
    /// The value of the first attribute with this name; null when there is no such attribute or when it is valueless
    /// (use <see cref="HasAttribute"/> to tell those apart).
    /// </summary>
    public string? GetAttribute(string name)
    {
        var index = IndexOf(name);
        return index >= 0 ? _attributes[index].Value : null;
    }

    /// <summary>
    /// Every value of every attribute with this name, in order. The values of list-valued attributes (rt, if, rel,
    /// rev and ct: RFC 6690 §3.1-§3.2, RFC 8288 §3.3, RFC 7252 §7.2.1) are split at whitespace, so
    /// <c>rt="a b";rt=c</c> gives a, b, c. Valueless attributes contribute nothing.
    /// </summary>
    public IReadOnlyList<string> GetAttributeValues(string name)
    {
        var values = new List<string>();
        var split = IsListValued(name);
        foreach (var attribute in _attributes)
        {
            if (attribute.Value is not { } value || !NameEquals(attribute.Name, name))
            {
                continue;
            }

            if (!split)
            {
                values.Add(value);
                continue;
            }

            foreach (var part in value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                values.Add(part);
            }
        }

        return values;
    }

    /// <summary>The link in CoRE Link Format, as <see cref="LinkFormatWriter"/> writes it.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        LinkFormatWriter.Write(this, builder);
        return builder.ToString();
    }

    /// <summary>Attributes whose value is a whitespace-separated list.</summary>
    internal static bool IsListValued(string name) =>
        NameEquals(name, "rt") || NameEquals(name, "if") || NameEquals(name, "rel") || NameEquals(name, "rev") || NameEquals(name, "ct");

    internal static bool NameEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds without validating the name: the parser has already delimited it.</summary>
    internal void AddParsed(string name, string? value) => _attributes.Add(new LinkAttribute(name, value));

    private static bool IsValidName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '&' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~'
                || (c == '*' && i == name.Length - 1 && i > 0);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _attributes.Count; i++)
        {
            if (NameEquals(_attributes[i].Name, name))
            {
                return i;
            }
        }

        return -1;
    }
}

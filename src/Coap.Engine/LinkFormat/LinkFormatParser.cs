using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Coap.Engine.LinkFormat;

/// <summary>
/// Reads CoRE Link Format documents (RFC 6690 §2) the way real peers write them: quoted-string values that hold
/// ',' and ';', valueless attributes (<c>obs</c>), unquoted ptoken values, and whitespace or line breaks between
/// links and around the separators (libcoap, aiocoap and Californium differ here). Never throws on bad input.
/// </summary>
public static class LinkFormatParser
{
    /// <summary>
    /// Parses a link-format document. An empty or blank document holds no links. On failure
    /// <paramref name="links"/> holds the links read before the error and <paramref name="error"/> says what is
    /// wrong and at which character offset.
    /// </summary>
    public static bool TryParse(string text, out IReadOnlyList<WebLink> links, [NotNullWhen(false)] out string? error) =>
        TryParse(text, int.MaxValue, int.MaxValue, out links, out error);

    /// <summary>
    /// As <see cref="TryParse(string, out IReadOnlyList{WebLink}, out string?)"/>, bounded for a document from a peer that
    /// may be hostile: more than <paramref name="maxLinks"/> links, or a link with more than
    /// <paramref name="maxAttributes"/> attributes, fails (then <paramref name="links"/> holds the first
    /// <paramref name="maxLinks"/> at most), so the objects made stay in proportion to what the caller accepts.
    /// </summary>
    public static bool TryParse(string text, int maxLinks, int maxAttributes, out IReadOnlyList<WebLink> links, [NotNullWhen(false)] out string? error)
    {
        var result = new List<WebLink>();
        links = result;
        if (text is null)
        {
            error = "no link-format text";
            return false;
        }

        var position = SkipWhitespace(text, 0);
        while (position < text.Length)
        {
            // Empty list elements (",," or a trailing ',') are tolerated: they carry no link.
            if (text[position] == ',')
            {
                position = SkipWhitespace(text, position + 1);
                continue;
            }

            if (result.Count == maxLinks)
            {
                error = Describe(text, position, $"more than {maxLinks} links");
                return false;
            }

            if (!TryParseLink(text, ref position, maxAttributes, out var link, out error))
            {
                return false;
            }

            result.Add(link);
            position = SkipWhitespace(text, position);
            if (position < text.Length)
            {
                if (text[position] != ',')
                {
                    error = Describe(text, position, "expected ',' or ';'");
                    return false;
                }

                position = SkipWhitespace(text, position + 1);
            }
        }

        error = null;
        return true;
    }

    private static bool TryParseLink(string text, ref int position, int maxAttributes, [NotNullWhen(true)] out WebLink? link, [NotNullWhen(false)] out string? error)
    {
        var attributes = 0;
        link = null;
        if (text[position] != '<')
        {
            error = Describe(text, position, "expected '<' to start a link");
            return false;
        }

        var end = text.IndexOf('>', position + 1);
        if (end < 0)
        {
            error = Describe(text, position, "the '<' is never closed by '>'");
            return false;
        }

        link = new WebLink(text[(position + 1)..end].Trim());
        position = SkipWhitespace(text, end + 1);
        while (position < text.Length && text[position] == ';')
        {
            if (++attributes > maxAttributes)
            {
                error = Describe(text, position, $"a link with more than {maxAttributes} attributes");
                return false;
            }

            position = SkipWhitespace(text, position + 1);
            var nameStart = position;
            while (position < text.Length && !IsNameDelimiter(text[position]))
            {
                position++;
            }

            if (position == nameStart)
            {
                error = Describe(text, position, "expected an attribute name after ';'");
                return false;
            }

            var name = text[nameStart..position];
            position = SkipWhitespace(text, position);
            string? value = null;
            if (position < text.Length && text[position] == '=')
            {
                position = SkipWhitespace(text, position + 1);
                if (!TryParseValue(text, ref position, name, out value, out error))
                {
                    return false;
                }

                position = SkipWhitespace(text, position);
            }

            link.AddParsed(name, value);
        }

        error = null;
        return true;
    }

    private static bool TryParseValue(string text, ref int position, string name, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        if (position < text.Length && text[position] == '"')
        {
            return TryParseQuoted(text, ref position, out value, out error);
        }

        // A ptoken: anything up to the next separator or whitespace.
        var start = position;
        while (position < text.Length && text[position] is not (';' or ',') && !IsWhitespace(text[position]))
        {
            position++;
        }

        if (position == start)
        {
            value = null;
            error = Describe(text, position, $"expected a value after '{name}='");
            return false;
        }

        value = text[start..position];
        error = null;
        return true;
    }

    /// <summary>A quoted-string with quoted-pairs (RFC 7230 §3.2.6).</summary>
    private static bool TryParseQuoted(string text, ref int position, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        var start = position;
        var builder = new StringBuilder();
        position++;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '"')
            {
                position++;
                value = builder.ToString();
                error = null;
                return true;
            }

            if (c == '\\')
            {
                if (position + 1 >= text.Length)
                {
                    break;
                }

                c = text[++position];
            }

            builder.Append(c);
            position++;
        }

        value = null;
        error = Describe(text, start, "unterminated quoted string");
        return false;
    }

    private static bool IsNameDelimiter(char c) => c is ';' or ',' or '=' or '"' or '<' or '>' || IsWhitespace(c);

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static int SkipWhitespace(string text, int position)
    {
        while (position < text.Length && IsWhitespace(text[position]))
        {
            position++;
        }

        return position;
    }

    private static string Describe(string text, int position, string problem)
    {
        var found = position < text.Length ? $"'{text[position]}'" : "the end";
        return string.Create(CultureInfo.InvariantCulture, $"{problem} at offset {position}, found {found}");
    }
}

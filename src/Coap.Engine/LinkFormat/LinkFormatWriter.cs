using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.LinkFormat;

/// <summary>
/// Writes CoRE Link Format documents (RFC 6690 §2, Content-Format 40): links separated by ',', attributes by ';',
/// as in <c>&lt;/a&gt;;rt="x";ct=40;obs,&lt;/b&gt;</c>.
/// </summary>
public static class LinkFormatWriter
{
    /// <summary>The links as one link-format document.</summary>
    public static string Write(IEnumerable<WebLink> links)
    {
        var builder = new StringBuilder();
        Write(links, builder);
        return builder.ToString();
    }

    /// <summary>Appends the links as one link-format document to <paramref name="builder"/>.</summary>
    public static void Write(IEnumerable<WebLink> links, StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(builder);
        var first = true;
        foreach (var link in links)
        {
            if (!first)
            {
                builder.Append(',');
            }

            Write(link, builder);
            first = false;
        }
    }

    /// <summary>
    /// Appends one link-value (RFC 6690 §2). Values of ct and sz that are plain numbers stay unquoted, as the
    /// ABNF writes them (RFC 6690 §3.3, §3.4; RFC 7252 §7.2.1); every other value is a quoted-string (RFC 7230
    /// §3.2.6) with '"' and '\' escaped. Characters a URI-reference cannot hold are percent-encoded in the target.
    /// </summary>
    public static void Write(WebLink link, StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append('<');
        PercentEncoding.AppendUriReference(builder, link.Target);
        builder.Append('>');
        foreach (var attribute in link.Attributes)
        {
            builder.Append(';').Append(attribute.Name);
            if (attribute.Value is not { } value)
            {
                continue;
            }

            builder.Append('=');
            if (IsNumeric(attribute.Name) && IsDigits(value))
            {
                builder.Append(value);
            }
            else
            {
                AppendQuoted(builder, value);
            }
        }
    }

    private static bool IsNumeric(string name) => WebLink.NameEquals(name, "ct") || WebLink.NameEquals(name, "sz");

    private static bool IsDigits(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }
}

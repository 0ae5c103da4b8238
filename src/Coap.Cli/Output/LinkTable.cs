using System.Text;
using Coap.Engine.LinkFormat;

namespace Coap.Cli.Output;

/// <summary>
/// Links as a table: one line per link, the target in an aligned first column, then the attributes in document
/// order ("/time  rt=core.time ct=0 obs"). A value with spaces or separators is quoted as link-format quotes it.
/// </summary>
internal static class LinkTable
{
    private const int Gap = 2;

    public static string Format(IReadOnlyList<WebLink> links)
    {
        var width = 0;
        foreach (var link in links)
        {
            width = Math.Max(width, link.Target.Length);
        }

        var builder = new StringBuilder();
        foreach (var link in links)
        {
            builder.Append(link.Target);
            if (link.Attributes.Count > 0)
            {
                builder.Append(' ', width - link.Target.Length + Gap);
                for (var i = 0; i < link.Attributes.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ');
                    }

                    AppendAttribute(builder, link.Attributes[i]);
                }
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }

    private static void AppendAttribute(StringBuilder builder, LinkAttribute attribute)
    {
        builder.Append(attribute.Name);
        if (attribute.Value is not { } value)
        {
            return;
        }

        builder.Append('=');
        if (value.Length > 0 && value.AsSpan().IndexOfAny(" \t,;\"\\") < 0)
        {
            builder.Append(value);
            return;
        }

        builder.Append('"').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
    }
}

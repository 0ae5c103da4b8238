using System.Text;
using System.Text.Unicode;
using Coap.Engine.Protocol;

namespace Coap.Cli.Output;

/// <summary>Whether a payload is text for people or bytes for programs, and how to show text on one line.</summary>
internal static class PayloadText
{
    /// <summary>
    /// Text: the text/* formats, link-format, and the JSON and XML families (by their media type's suffix). Without a
    /// Content-Format, UTF-8 without control characters other than tab and line breaks counts as text.
    /// </summary>
    public static bool IsText(int? contentFormat, ReadOnlySpan<byte> payload)
    {
        if (contentFormat is not { } format)
        {
            return Utf8.IsValid(payload) && !HasControlBytes(payload);
        }

        if (format == ContentFormat.LinkFormat)
        {
            return true;
        }

        if (ContentFormat.NameOf(format) is not { } name)
        {
            return false;
        }

        var mediaType = name.Split(';')[0];
        return mediaType.StartsWith("text/", StringComparison.Ordinal)
            || mediaType.EndsWith("json", StringComparison.Ordinal)
            || mediaType.EndsWith("xml", StringComparison.Ordinal);
    }

    /// <summary>The payload as UTF-8 on a single line: line breaks and tabs become spaces, other control characters '.'.</summary>
    public static string OneLine(ReadOnlySpan<byte> payload)
    {
        var builder = new StringBuilder(Encoding.UTF8.GetString(payload));
        for (var i = 0; i < builder.Length; i++)
        {
            var c = builder[i];
            if (c is '\r' or '\n' or '\t')
            {
                builder[i] = ' ';
            }
            else if (char.IsControl(c))
            {
                builder[i] = '.';
            }
        }

        return builder.ToString().Trim();
    }

    private static bool HasControlBytes(ReadOnlySpan<byte> payload)
    {
        foreach (var b in payload)
        {
            if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n')) || b == 0x7F)
            {
                return true;
            }
        }

        return false;
    }
}

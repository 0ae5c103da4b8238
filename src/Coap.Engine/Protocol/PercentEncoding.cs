using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Coap.Engine.Protocol;

/// <summary>
/// Percent-encoding of URI components (RFC 3986 §2.1) as CoAP needs it to turn URIs into Uri-* options and back
/// (RFC 7252 §6.4, §6.5). Option values are UTF-8 text, so decoded bytes must form valid UTF-8.
/// </summary>
public static class PercentEncoding
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>
    /// Replaces each "%XX" by its byte and reads the bytes as UTF-8. Characters outside ASCII (as typed in an IRI)
    /// stand for their own UTF-8 bytes.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, [NotNullWhen(true)] out string? decoded, [NotNullWhen(false)] out string? error)
    {
        if (text.IndexOf('%') < 0)
        {
            // No escapes: the text is its own value, provided it holds no lone surrogate.
            if (HasLoneSurrogate(text))
            {
                decoded = null;
                error = "contains an invalid UTF-16 character";
                return false;
            }

            decoded = text.ToString();
            error = null;
            return true;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(text.Length * 3);
        try
        {
            var length = 0;
            var position = 0;
            while (position < text.Length)
            {
                var c = text[position];
                if (c == '%')
                {
                    if (position + 2 >= text.Length || !IsHex(text[position + 1]) || !IsHex(text[position + 2]))
                    {
                        decoded = null;
                        error = string.Create(CultureInfo.InvariantCulture, $"'%' at offset {position} is not followed by two hexadecimal digits");
                        return false;
                    }

                    buffer[length++] = (byte)((HexValue(text[position + 1]) << 4) | HexValue(text[position + 2]));
                    position += 3;
                    continue;
                }

                if (Rune.DecodeFromUtf16(text[position..], out var rune, out var consumed) != OperationStatus.Done)
                {
                    decoded = null;
                    error = string.Create(CultureInfo.InvariantCulture, $"invalid UTF-16 character at offset {position}");
                    return false;
                }

                length += rune.EncodeToUtf8(buffer.AsSpan(length));
                position += consumed;
            }

            var bytes = buffer.AsSpan(0, length);
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
            {
                decoded = null;
                error = "the percent-encoded bytes are not valid UTF-8";
                return false;
            }

            decoded = Encoding.UTF8.GetString(bytes);
            error = null;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Appends a path segment: everything but pchar is encoded, '%' and '/' included (RFC 3986 §3.3). A segment
    /// that is "." or ".." is encoded as well, or reference resolution would remove it (RFC 3986 §5.2.4).
    /// </summary>
    public static void AppendPathSegment(StringBuilder builder, string segment)
    {
        if (segment is "." or "..")
        {
            builder.Append(segment == "." ? "%2E" : "%2E%2E");
            return;
        }

        Append(builder, segment, Component.PathSegment);
    }

    /// <summary>Appends one query argument: pchar, '/' and '?' stay, '&amp;' is encoded (RFC 7252 §6.5 step 8).</summary>
    public static void AppendQueryPart(StringBuilder builder, string part) => Append(builder, part, Component.Query);

    /// <summary>
    /// Appends a reg-name host: unreserved and sub-delims stay (RFC 3986 §3.2.2), except upper-case letters, which
    /// only a percent-encoding can carry through the lower-casing of RFC 7252 §6.4 step 5.
    /// </summary>
    public static void AppendRegName(StringBuilder builder, string host) => Append(builder, host, Component.RegName);

    /// <summary>Appends a zone identifier of an IPv6 literal: unreserved stays (RFC 6874 §2).</summary>
    public static void AppendZoneId(StringBuilder builder, string zone) => Append(builder, zone, Component.ZoneId);

    /// <summary>
    /// Appends a URI-reference that is already encoded: characters a URI may hold, '%' included, stay; anything else
    /// (spaces, '&lt;', '&gt;', '"', non-ASCII) is encoded so the reference can sit between angle brackets.
    /// </summary>
    public static void AppendUriReference(StringBuilder builder, string reference) => Append(builder, reference, Component.UriReference);

    public static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    public static bool IsSubDelimiter(char c) => c is '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';

    public static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAllowed(char c, Component component) => component switch
    {
        Component.PathSegment => IsUnreserved(c) || IsSubDelimiter(c) || c is ':' or '@',
        Component.Query => (IsUnreserved(c) || IsSubDelimiter(c) || c is ':' or '@' or '/' or '?') && c != '&',
        Component.RegName => (IsUnreserved(c) || IsSubDelimiter(c)) && !char.IsAsciiLetterUpper(c),
        Component.ZoneId => IsUnreserved(c),
        _ => IsUnreserved(c) || IsSubDelimiter(c) || c is ':' or '/' or '?' or '#' or '[' or ']' or '@' or '%',
    };

    private static void Append(StringBuilder builder, string value, Component component)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var position = 0;
        while (position < value.Length)
        {
            var c = value[position];
            if (c < 0x80 && IsAllowed(c, component))
            {
                builder.Append(c);
                position++;
                continue;
            }

            // A lone surrogate cannot be encoded as UTF-8; it becomes U+FFFD rather than an exception.
            if (Rune.DecodeFromUtf16(value.AsSpan(position), out var rune, out var consumed) != OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
                consumed = Math.Max(consumed, 1);
            }

            var count = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < count; i++)
            {
                builder.Append('%').Append(HexDigits[utf8[i] >> 4]).Append(HexDigits[utf8[i] & 0xF]);
            }

            position += consumed;
        }
    }

    private enum Component
    {
        PathSegment,
        Query,
        RegName,
        ZoneId,
        UriReference,
    }
}

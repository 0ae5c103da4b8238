using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Client;

/// <summary>Reading the parts of a coap URI (RFC 3986 §3, RFC 7252 §6.1, §6.4).</summary>
public sealed partial class CoapUri
{
    private static bool TryReadScheme(string s, out string scheme, out string rest, [NotNullWhen(false)] out string? error)
    {
        scheme = string.Empty;
        rest = string.Empty;
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        var valid = colon > 0 && char.IsAsciiLetter(s[0]);
        for (var i = 1; valid && i < colon; i++)
        {
            valid = char.IsAsciiLetterOrDigit(s[i]) || s[i] is '+' or '-' or '.';
        }

        // "localhost:5683/x" looks like a scheme but is a host and port without one.
        if (!valid || (colon + 1 < s.Length && char.IsAsciiDigit(s[colon + 1])))
        {
            error = "missing scheme: the URI must start with coap:// or coaps://";
            return false;
        }

        scheme = s[..colon].ToLowerInvariant();
        if (scheme is not ("coap" or "coaps"))
        {
            error = $"unsupported scheme '{scheme}': only coap and coaps are supported";
            return false;
        }

        rest = s[(colon + 1)..];
        error = null;
        return true;
    }

    private static bool TryReadAuthority(string authority, int defaultPort, out string host, out IPAddress? address, out int port, [NotNullWhen(false)] out string? error)
    {
        host = string.Empty;
        address = null;
        port = defaultPort;
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            error = "user information ('user@') is not allowed in a coap URI (RFC 7252 §6.1)";
            return false;
        }

        string? portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "the IPv6 literal is missing its closing ']'";
                return false;
            }

            if (close + 1 < authority.Length && authority[close + 1] != ':')
            {
                error = "unexpected characters after the IPv6 literal";
                return false;
            }

            portText = close + 1 < authority.Length ? authority[(close + 2)..] : null;
            if (!TryReadIPv6(authority[1..close], out host, out address, out error))
            {
                return false;
            }
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            portText = colon < 0 ? null : authority[(colon + 1)..];
            if (!TryReadHostName(colon < 0 ? authority : authority[..colon], out host, out address, out error))
            {
                return false;
            }
        }

        // RFC 3986 §3.2.3 allows an empty port, which means the default.
        if (!string.IsNullOrEmpty(portText) && !TryReadPort(portText, out port))
        {
            error = $"bad port '{portText}': it must be a number from 1 to 65535";
            return false;
        }

        return true;
    }

    private static bool TryReadIPv6(string literal, out string host, out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        host = string.Empty;
        address = null;
        if (literal.StartsWith('v') || literal.StartsWith('V'))
        {
            error = "IPvFuture literals are not supported";
            return false;
        }

        // RFC 6874: the zone identifier follows an encoded '%' ("%25").
        var zoneStart = literal.IndexOf("%25", StringComparison.Ordinal);
        var addressText = zoneStart < 0 ? literal : literal[..zoneStart];
        string? zone = null;
        if (zoneStart >= 0 && (!PercentEncoding.TryDecode(literal.AsSpan(zoneStart + 3), out zone, out _) || zone.Length == 0))
        {
            error = $"bad IPv6 zone identifier in '[{literal}]'";
            return false;
        }

        if (addressText.Contains('%', StringComparison.Ordinal)
            || !IPAddress.TryParse(addressText, out var parsed)
            || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            error = $"'[{literal}]' is not a valid IPv6 address";
            return false;
        }

        if (zone is not null)
        {
            // A numeric zone is the scope ID; a named one (an interface) is kept in Host for the transport to resolve.
            if (uint.TryParse(zone, NumberStyles.None, CultureInfo.InvariantCulture, out var scope))
            {
                parsed.ScopeId = scope;
            }
            else if (IPAddress.TryParse($"{addressText}%{zone}", out var scoped))
            {
                parsed = scoped;
            }
        }

        address = parsed;
        host = zone is null ? addressText.ToLowerInvariant() : $"{addressText.ToLowerInvariant()}%{zone}";
        error = null;
        return true;
    }

    private static bool TryReadHostName(string text, out string host, out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        host = string.Empty;
        address = null;
        if (text.Length == 0)
        {
            error = "the URI has no host";
            return false;
        }

        if (IsIPv4Address(text))
        {
            address = IPAddress.Parse(text);
            host = text;
            error = null;
            return true;
        }

        foreach (var c in text)
        {
            if (c < 0x80 && !PercentEncoding.IsUnreserved(c) && !PercentEncoding.IsSubDelimiter(c) && c != '%')
            {
                error = $"invalid character '{c}' in host '{text}'";
                return false;
            }
        }

        // RFC 7252 §6.4 step 5: ASCII lower case first, then percent-decoding.
        if (!PercentEncoding.TryDecode(ToAsciiLower(text), out var decoded, out var reason))
        {
            error = $"bad percent-encoding in host: {reason}";
            return false;
        }

        if (decoded.Length == 0 || Encoding.UTF8.GetByteCount(decoded) > MaxOptionLength)
        {
            error = "the host must be 1 to 255 bytes long (RFC 7252 §5.10.1)";
            return false;
        }

        host = decoded;
        error = null;
        return true;
    }

    /// <summary>RFC 3986 §3.2.2 IPv4address: exactly four dec-octets, no leading zeros. "1.2.3" is a reg-name.</summary>
    private static bool IsIPv4Address(string text)
    {
        var octets = 0;
        var position = 0;
        while (position <= text.Length)
        {
            var start = position;
            var value = 0;
            while (position < text.Length && char.IsAsciiDigit(text[position]) && position - start < 3)
            {
                value = (value * 10) + (text[position] - '0');
                position++;
            }

            var digits = position - start;
            if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }

            octets++;
            if (position == text.Length)
            {
                return octets == 4;
            }

            if (text[position] != '.' || octets == 4)
            {
                return false;
            }

            position++;
        }

        return false;
    }

    private static bool TryReadPort(string text, out int port)
    {
        port = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            port = (port * 10) + (c - '0');
            if (port > ushort.MaxValue)
            {
                return false;
            }
        }

        return port > 0;
    }

    /// <summary>RFC 7252 §6.4 step 8, after RFC 3986 §5.2.4 removed the dot-segments.</summary>
    private static bool TryReadPath(string path, out string[] segments, [NotNullWhen(false)] out string? error)
    {
        segments = [];
        if (path.Length <= 1)
        {
            error = null;
            return true;
        }

        var raw = path[1..].Split('/');
        var kept = new List<string>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var last = i == raw.Length - 1;
            if (raw[i] is "." or "..")
            {
                if (raw[i] == ".." && kept.Count > 0)
                {
                    kept.RemoveAt(kept.Count - 1);
                }

                // "/a/b/.." resolves to "/a/": the path keeps its trailing slash.
                if (last)
                {
                    kept.Add(string.Empty);
                }

                continue;
            }

            kept.Add(raw[i]);
        }

        // What is left is "/", which carries no Uri-Path option.
        if (kept.Count == 1 && kept[0].Length == 0)
        {
            error = null;
            return true;
        }

        segments = new string[kept.Count];
        for (var i = 0; i < kept.Count; i++)
        {
            if (!TryDecodeOptionValue(kept[i], "path segment", out segments[i], out error))
            {
                return false;
            }
        }

        error = null;
        return true;
    }

    /// <summary>RFC 7252 §6.4 step 9: one argument per '&amp;'-separated part; "?" alone carries none.</summary>
    private static bool TryReadQuery(string? query, out string[] parts, [NotNullWhen(false)] out string? error)
    {
        parts = [];
        if (string.IsNullOrEmpty(query))
        {
            error = null;
            return true;
        }

        var raw = query.Split('&');
        parts = new string[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            if (!TryDecodeOptionValue(raw[i], "query argument", out parts[i], out error))
            {
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool TryDecodeOptionValue(string raw, string what, out string value, [NotNullWhen(false)] out string? error)
    {
        value = string.Empty;
        if (!PercentEncoding.TryDecode(raw, out var decoded, out var reason))
        {
            error = $"bad percent-encoding in {what} '{raw}': {reason}";
            return false;
        }

        if (Encoding.UTF8.GetByteCount(decoded) > MaxOptionLength)
        {
            error = $"{what} '{raw}' is longer than 255 bytes (RFC 7252 §5.10.1)";
            return false;
        }

        value = decoded;
        error = null;
        return true;
    }

    private static string ToAsciiLower(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsAsciiLetterUpper(chars[i]))
            {
                chars[i] = (char)(chars[i] | 0x20);
            }
        }

        return new string(chars);
    }
}

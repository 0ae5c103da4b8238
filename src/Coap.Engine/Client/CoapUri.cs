using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Client;

/// <summary>
/// A <c>coap://</c> or <c>coaps://</c> URI (RFC 7252 §6.1, §6.2) decomposed the way a request carries it
/// (RFC 7252 §6.4): host, port, percent-decoded path segments and query arguments. <see cref="ToString"/> composes
/// it back (RFC 7252 §6.5).
/// </summary>
public sealed partial class CoapUri
{
    /// <summary>The default port of the coap scheme (RFC 7252 §6.1).</summary>
    public const int DefaultPort = 5683;

    /// <summary>The default port of the coaps scheme (RFC 7252 §6.2).</summary>
    public const int DefaultSecurePort = 5684;

    /// <summary>The longest Uri-Host, Uri-Path or Uri-Query option value in bytes (RFC 7252 §5.10).</summary>
    private const int MaxOptionLength = 255;

    private readonly string[] _pathSegments;
    private readonly string[] _queryParts;

    private CoapUri(string scheme, string host, IPAddress? address, int port, string[] pathSegments, string[] queryParts)
    {
        Scheme = scheme;
        Host = host;
        HostAddress = address;
        Port = port;
        _pathSegments = pathSegments;
        _queryParts = queryParts;
    }

    /// <summary>"coap" or "coaps", in lower case.</summary>
    public string Scheme { get; }

    /// <summary>Whether the scheme is coaps, which runs over DTLS (RFC 7252 §6.2).</summary>
    public bool IsSecure => Scheme == "coaps";

    /// <summary>
    /// The host: a registered name in ASCII lower case and percent-decoded (the Uri-Host value, RFC 7252 §6.4
    /// step 5), an IPv4 address, or an IPv6 address without brackets and with its zone after a plain '%'
    /// ("fe80::1%eth0").
    /// </summary>
    public string Host { get; }

    /// <summary>The address when the host is an IP literal, otherwise null.</summary>
    public IPAddress? HostAddress { get; }

    /// <summary>Whether the host is an IPv4address or IP-literal rather than a reg-name (RFC 3986 §3.2.2).</summary>
    public bool IsHostLiteral => HostAddress is not null;

    /// <summary>The port; the scheme's default port when the URI names none.</summary>
    public int Port { get; }

    /// <summary>The percent-decoded path segments, one per Uri-Path option (RFC 7252 §6.4 step 8).</summary>
    public IReadOnlyList<string> PathSegments => _pathSegments;

    /// <summary>The percent-decoded query arguments, one per Uri-Query option (RFC 7252 §6.4 step 9).</summary>
    public IReadOnlyList<string> QueryParts => _queryParts;

    /// <summary>Parses a URI, throwing <see cref="FormatException"/> with the reason when it is not a usable coap URI.</summary>
    public static CoapUri Parse(string text) =>
        TryParse(text, out var uri, out var error) ? uri : throw new FormatException($"Invalid CoAP URI '{text}': {error}.");

    /// <summary>
    /// Parses an absolute coap or coaps URI (RFC 7252 §6.1, §6.2) and decomposes it as RFC 7252 §6.4 does:
    /// dot-segments are removed, percent-encodings decoded as UTF-8, a fragment is refused (step 4). Characters
    /// beyond ASCII and spaces typed as such are taken as their UTF-8 bytes, as an IRI would be. Never throws.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CoapUri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the URI is empty";
            return false;
        }

        var s = text.Trim();
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsControl(s[i]) && s[i] < 0x80)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)s[i]:X4} at offset {i}");
                return false;
            }
        }

        if (!TryReadScheme(s, out var scheme, out var rest, out error))
        {
            return false;
        }

        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            error = "a coap URI needs '//' and a host after the scheme (RFC 7252 §6.1)";
            return false;
        }

        rest = rest[2..];
        if (rest.Contains('#', StringComparison.Ordinal))
        {
            error = "a fragment ('#') is not allowed in a coap URI (RFC 7252 §6.4 step 4)";
            return false;
        }

        var authorityEnd = rest.IndexOfAny(['/', '?']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var pathAndQuery = authorityEnd < 0 ? string.Empty : rest[authorityEnd..];
        var defaultPort = scheme == "coaps" ? DefaultSecurePort : DefaultPort;
        if (!TryReadAuthority(authority, defaultPort, out var host, out var address, out var port, out error))
        {
            return false;
        }

        var queryStart = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? pathAndQuery : pathAndQuery[..queryStart];
        var query = queryStart < 0 ? null : pathAndQuery[(queryStart + 1)..];
        if (!TryReadPath(path, out var segments, out error) || !TryReadQuery(query, out var parts, out error))
        {
            return false;
        }

        uri = new CoapUri(scheme, host, address, port, segments, parts);
        return true;
    }

    /// <summary>
    /// Sets the request's Uri-Host (only for a reg-name host, as libcoap's coap-client does), Uri-Path and
    /// Uri-Query options (RFC 7252 §6.4 steps 5, 8, 9), replacing any it had. Uri-Port is never added and any
    /// present is removed: the request goes to the URI's port, so step 7 never calls for one.
    /// </summary>
    public void ApplyTo(CoapMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options;
        options.Remove(OptionNumber.UriHost);
        options.Remove(OptionNumber.UriPort);
        options.Remove(OptionNumber.UriPath);
        options.Remove(OptionNumber.UriQuery);
        if (!IsHostLiteral)
        {
            options.Add(CoapOption.FromString(OptionNumber.UriHost, Host));
        }

        foreach (var segment in _pathSegments)
        {
            options.Add(CoapOption.FromString(OptionNumber.UriPath, segment));
        }

        foreach (var part in _queryParts)
        {
            options.Add(CoapOption.FromString(OptionNumber.UriQuery, part));
        }
    }

    /// <summary>
    /// The URI composed as RFC 7252 §6.5 does: the port only when not the default, "/" for an empty path,
    /// everything outside the allowed characters of each component percent-encoded as UTF-8.
    /// </summary>
    public override string ToString()
    {
        var builder = new StringBuilder(Scheme).Append("://");
        if (HostAddress is { AddressFamily: AddressFamily.InterNetworkV6 })
        {
            var zone = Host.IndexOf('%', StringComparison.Ordinal);
            builder.Append('[').Append(zone < 0 ? Host : Host[..zone]);
            if (zone >= 0)
            {
                builder.Append("%25");
                PercentEncoding.AppendZoneId(builder, Host[(zone + 1)..]);
            }

            builder.Append(']');
        }
        else if (HostAddress is not null)
        {
            builder.Append(Host);
        }
        else
        {
            PercentEncoding.AppendRegName(builder, Host);
        }

        if (Port != (IsSecure ? DefaultSecurePort : DefaultPort))
        {
            builder.Append(':').Append(Port.ToString(CultureInfo.InvariantCulture));
        }

        if (_pathSegments.Length == 0)
        {
            builder.Append('/');
        }

        foreach (var segment in _pathSegments)
        {
            builder.Append('/');
            PercentEncoding.AppendPathSegment(builder, segment);
        }

        for (var i = 0; i < _queryParts.Length; i++)
        {
            builder.Append(i == 0 ? '?' : '&');
            PercentEncoding.AppendQueryPart(builder, _queryParts[i]);
        }

        return builder.ToString();
    }
}

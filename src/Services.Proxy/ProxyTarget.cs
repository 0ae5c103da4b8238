using System.Globalization;
using System.Net;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Services.Proxy;

/// <summary>
/// Where a proxied request goes: an upstream authority and the path and query on it, taken from Proxy-Uri, from
/// Proxy-Scheme with Uri-Host/Uri-Port/Uri-Path/Uri-Query (RFC 7252 §5.7.2, §6.4), or from a reverse route and the
/// rest of the local path. <see cref="Uri"/> is the canonical text used in cache keys and logs.
/// </summary>
internal sealed class ProxyTarget
{
    private string? _getKey;

    private ProxyTarget(CoapUri authority, string upstreamKey, IReadOnlyList<string> path, IReadOnlyList<string> query)
    {
        Authority = authority;
        UpstreamKey = upstreamKey;
        Path = path;
        Query = query;
        Endpoint = authority.HostAddress is { } address ? new IPEndPoint(address, authority.Port) : null;
        var text = new StringBuilder(upstreamKey).Append('/');
        var options = new List<CoapOption>(path.Count + query.Count + 1);
        if (!authority.IsHostLiteral)
        {
            options.Add(CoapOption.FromString(OptionNumber.UriHost, authority.Host));
        }

        for (var i = 0; i < path.Count; i++)
        {
            PercentEncoding.AppendPathSegment(text.Append(i == 0 ? string.Empty : "/"), path[i]);
            options.Add(CoapOption.FromString(OptionNumber.UriPath, path[i]));
        }

        for (var i = 0; i < query.Count; i++)
        {
            PercentEncoding.AppendQueryPart(text.Append(i == 0 ? '?' : '&'), query[i]);
            options.Add(CoapOption.FromString(OptionNumber.UriQuery, query[i]));
        }

        Uri = text.ToString();
        UriOptions = [.. options];
    }

    /// <summary>The upstream's scheme, host and port (no path).</summary>
    public CoapUri Authority { get; }

    public IReadOnlyList<string> Path { get; }

    public IReadOnlyList<string> Query { get; }

    public string Uri { get; }

    /// <summary>"coap://host:port" or "coaps://host:port" of the upstream, the key of its in-flight limit and settings.</summary>
    public string UpstreamKey { get; }

    /// <summary>The upstream's address when its host is an IP literal (made once, not per request); null for a name.</summary>
    public IPEndPoint? Endpoint { get; }

    /// <summary>Uri-Host (for a name), Uri-Path and Uri-Query of the upstream request, encoded once.</summary>
    public CoapOption[] UriOptions { get; }

    /// <summary>The cache key of a GET without key options ("1 {Uri}"), made once: see <see cref="ProxyCache.KeyOf"/>.</summary>
    public string GetKey => _getKey ??= "1 " + Uri;

    /// <summary>The <see cref="UpstreamKey"/> of a coap:// or coaps:// URI's authority (its path ignored).</summary>
    public static string UpstreamKeyOf(CoapUri uri) => AuthorityText(AuthorityOf(uri.Scheme, uri.Host, uri.Port));

    /// <summary>The target of a forward-proxy request; null with the error response when it names none we can reach.</summary>
    public static ProxyTarget? FromForwardRequest(CoapMessage request, out CoapMessage? error)
    {
        error = null;
        if (request.Options.TryGet(OptionNumber.ProxyUri, out var proxyUri))
        {
            var text = proxyUri.GetString();
            if (!CoapUri.TryParse(text, out var uri, out var why))
            {
                error = Errors.Diagnostic(text.StartsWith("coap", StringComparison.OrdinalIgnoreCase) ? CoapCode.BadRequest : CoapCode.ProxyingNotSupported, "Proxy-Uri: " + why);
                return null;
            }

            return Of(AuthorityOf(uri.Scheme, uri.Host, uri.Port), uri.PathSegments, uri.QueryParts);
        }

        var scheme = request.Options.TryGet(OptionNumber.ProxyScheme, out var schemeOption) ? schemeOption.GetString().ToLowerInvariant() : string.Empty;
        if (scheme is not ("coap" or "coaps"))
        {
            error = Errors.Diagnostic(CoapCode.ProxyingNotSupported, "only coap:// and coaps:// upstreams are proxied");
            return null;
        }

        if (!request.Options.TryGet(OptionNumber.UriHost, out var host))
        {
            error = Errors.Diagnostic(CoapCode.BadRequest, "Proxy-Scheme needs Uri-Host");
            return null;
        }

        var port = (int)(request.Options.GetUInt(OptionNumber.UriPort) ?? (uint)(scheme == "coaps" ? CoapUri.DefaultSecurePort : CoapUri.DefaultPort));
        if (port is < 1 or > 65535)
        {
            error = Errors.Diagnostic(CoapCode.BadRequest, "bad Uri-Port");
            return null;
        }

        var authority = TryAuthority(scheme, host.GetString(), port);
        if (authority is null)
        {
            error = Errors.Diagnostic(CoapCode.BadRequest, "bad Uri-Host");
            return null;
        }

        return Of(authority, Strings(request, OptionNumber.UriPath), Strings(request, OptionNumber.UriQuery));
    }

    /// <summary>The target of a reverse route's own path (the route's URI), made once per route.</summary>
    public static ProxyTarget OfRoute(CoapUri route) => Of(AuthorityOf(route.Scheme, route.Host, route.Port), route.PathSegments, []);

    /// <summary>
    /// The target of a request to a reverse route: the route's URI, then the rest of the local path, then the
    /// request's query; the route's own target when there is neither.
    /// </summary>
    public static ProxyTarget FromRoute(ProxyTarget route, IReadOnlyList<string> rest, CoapMessage request)
    {
        if (rest.Count == 0 && !request.Options.Contains(OptionNumber.UriQuery))
        {
            return route;
        }

        var path = new List<string>(route.Path.Count + rest.Count);
        path.AddRange(route.Path);
        path.AddRange(rest);
        return new ProxyTarget(route.Authority, route.UpstreamKey, path, Strings(request, OptionNumber.UriQuery));
    }

    private static ProxyTarget Of(CoapUri authority, IReadOnlyList<string> path, IReadOnlyList<string> query) =>
        new(authority, AuthorityText(authority), path, query);

    private static CoapUri AuthorityOf(string scheme, string host, int port) =>
        TryAuthority(scheme, host, port) ?? throw new ArgumentException($"'{host}' is no host.", nameof(host));

    private static CoapUri? TryAuthority(string scheme, string host, int port)
    {
        var bracketed = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return CoapUri.TryParse($"{scheme}://{bracketed}:{port.ToString(CultureInfo.InvariantCulture)}", out var uri, out _) ? uri : null;
    }

    private static string AuthorityText(CoapUri authority)
    {
        var host = authority.Host.Contains(':', StringComparison.Ordinal) && !authority.Host.StartsWith('[') ? $"[{authority.Host}]" : authority.Host;
        return authority.Scheme + "://" + host + ":" + authority.Port.ToString(CultureInfo.InvariantCulture);
    }

    private static string[] Strings(CoapMessage request, ushort number)
    {
        var values = new List<string>();
        foreach (var option in request.Options.GetAll(number))
        {
            values.Add(option.GetString());
        }

        return [.. values];
    }
}

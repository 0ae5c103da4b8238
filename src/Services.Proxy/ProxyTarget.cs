using System.Globalization;
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
    private ProxyTarget(CoapUri authority, IReadOnlyList<string> path, IReadOnlyList<string> query)
    {
        Authority = authority;
        Path = path;
        Query = query;
        var text = new StringBuilder("coap://").Append(AuthorityText(authority)).Append('/');
        for (var i = 0; i < path.Count; i++)
        {
            PercentEncoding.AppendPathSegment(text.Append(i == 0 ? string.Empty : "/"), path[i]);
        }

        for (var i = 0; i < query.Count; i++)
        {
            PercentEncoding.AppendQueryPart(text.Append(i == 0 ? '?' : '&'), query[i]);
        }

        Uri = text.ToString();
    }

    /// <summary>The upstream's scheme, host and port (no path).</summary>
    public CoapUri Authority { get; }

    public IReadOnlyList<string> Path { get; }

    public IReadOnlyList<string> Query { get; }

    public string Uri { get; }

    /// <summary>"host:port" of the upstream, the key of its in-flight limit.</summary>
    public string UpstreamKey => AuthorityText(Authority);

    /// <summary>The <see cref="UpstreamKey"/> of a coap:// URI's authority (its path ignored).</summary>
    public static string UpstreamKeyOf(CoapUri uri) => AuthorityText(AuthorityOf(uri.Host, uri.Port));

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

            if (uri.Scheme != "coap")
            {
                error = Errors.Diagnostic(CoapCode.ProxyingNotSupported, "only coap:// upstreams are proxied");
                return null;
            }

            return new ProxyTarget(AuthorityOf(uri.Host, uri.Port), uri.PathSegments, uri.QueryParts);
        }

        var scheme = request.Options.TryGet(OptionNumber.ProxyScheme, out var schemeOption) ? schemeOption.GetString() : string.Empty;
        if (!string.Equals(scheme, "coap", StringComparison.OrdinalIgnoreCase))
        {
            error = Errors.Diagnostic(CoapCode.ProxyingNotSupported, "only coap:// upstreams are proxied");
            return null;
        }

        if (!request.Options.TryGet(OptionNumber.UriHost, out var host))
        {
            error = Errors.Diagnostic(CoapCode.BadRequest, "Proxy-Scheme needs Uri-Host");
            return null;
        }

        var port = (int)(request.Options.GetUInt(OptionNumber.UriPort) ?? CoapUri.DefaultPort);
        if (port is < 1 or > 65535)
        {
            error = Errors.Diagnostic(CoapCode.BadRequest, "bad Uri-Port");
            return null;
        }

        var authority = TryAuthority(host.GetString(), port);
        if (authority is null)
        {
            error = Errors.Diagnostic(CoapCode.BadRequest, "bad Uri-Host");
            return null;
        }

        return new ProxyTarget(authority, Strings(request, OptionNumber.UriPath), Strings(request, OptionNumber.UriQuery));
    }

    /// <summary>The target of a request to a reverse route: the route's URI, then the rest of the local path, then the request's query.</summary>
    public static ProxyTarget FromRoute(CoapUri route, IReadOnlyList<string> rest, CoapMessage request)
    {
        var path = new List<string>(route.PathSegments.Count + rest.Count);
        path.AddRange(route.PathSegments);
        path.AddRange(rest);
        return new ProxyTarget(AuthorityOf(route.Host, route.Port), path, Strings(request, OptionNumber.UriQuery));
    }

    private static CoapUri AuthorityOf(string host, int port) =>
        TryAuthority(host, port) ?? throw new ArgumentException($"'{host}' is no host.", nameof(host));

    private static CoapUri? TryAuthority(string host, int port)
    {
        var bracketed = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return CoapUri.TryParse($"coap://{bracketed}:{port.ToString(CultureInfo.InvariantCulture)}", out var uri, out _) ? uri : null;
    }

    private static string AuthorityText(CoapUri authority)
    {
        var host = authority.Host.Contains(':', StringComparison.Ordinal) && !authority.Host.StartsWith('[') ? $"[{authority.Host}]" : authority.Host;
        return host + ":" + authority.Port.ToString(CultureInfo.InvariantCulture);
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

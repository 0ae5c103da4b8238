using System.Globalization;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands;

/// <summary>
/// --proxy: a request for a target goes to a forward proxy instead, the target named in Proxy-Uri (RFC 7252 §5.7.1,
/// §5.10.2), as libcoap's <c>coap-client -P</c> does; with --oscore the engine's client splits it so that the path
/// and query stay inside the protected request (RFC 8613 §4.1.3.3).
/// </summary>
internal static class ProxyRoute
{
    /// <summary>
    /// Moves the request's target (the URI's host and port, and the Uri-Path and Uri-Query already on the request)
    /// into Proxy-Uri and returns the proxy to send it to; without a proxy, returns the target unchanged.
    /// </summary>
    public static CoapUri Apply(CoapMessage request, CoapUri target, CoapUri? proxy)
    {
        if (proxy is null)
        {
            return target;
        }

        var host = target.Host.Contains(':', StringComparison.Ordinal) && !target.Host.StartsWith('[') ? $"[{target.Host}]" : target.Host;
        var text = new StringBuilder(target.Scheme).Append("://").Append(host).Append(':').Append(target.Port.ToString(CultureInfo.InvariantCulture)).Append('/');
        var first = true;
        foreach (var segment in request.Options.GetAll(OptionNumber.UriPath))
        {
            PercentEncoding.AppendPathSegment(text.Append(first ? string.Empty : "/"), segment.GetString());
            first = false;
        }

        first = true;
        foreach (var part in request.Options.GetAll(OptionNumber.UriQuery))
        {
            PercentEncoding.AppendQueryPart(text.Append(first ? '?' : '&'), part.GetString());
            first = false;
        }

        request.Options.Remove(OptionNumber.UriHost);
        request.Options.Remove(OptionNumber.UriPort);
        request.Options.Remove(OptionNumber.UriPath);
        request.Options.Remove(OptionNumber.UriQuery);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, text.ToString()));
        return proxy;
    }
}

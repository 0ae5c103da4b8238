using System.Collections.Concurrent;
using System.Text;
using Coap.Engine.Protocol;

namespace Services.Proxy;

/// <summary>
/// The targets of forward requests by their Proxy-Uri text, so that a client asking the same URI again costs a
/// lookup, not a parse (a URI, an authority, a string and the upstream's options per request). Looked up without
/// allocating (the option's bytes decoded on the stack); bounded: full, it starts afresh.
/// </summary>
internal sealed class ForwardTargets
{
    private const int Capacity = 1024;

    /// <summary>The longest Proxy-Uri (RFC 7252 §5.10: 1034 bytes); UTF-8 never decodes to more chars than bytes.</summary>
    private const int MaxProxyUri = 1034;

    private readonly ConcurrentDictionary<string, ProxyTarget> _byUri = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProxyTarget>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ForwardTargets() => _lookup = _byUri.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _byUri.Count;

    /// <summary>As <see cref="ProxyTarget.FromForwardRequest"/>, remembering what a Proxy-Uri named.</summary>
    public ProxyTarget? Find(CoapMessage request, out CoapMessage? error)
    {
        if (!request.Options.TryGet(OptionNumber.ProxyUri, out var proxyUri) || proxyUri.Value.Length > MaxProxyUri)
        {
            return ProxyTarget.FromForwardRequest(request, out error);
        }

        Span<char> text = stackalloc char[MaxProxyUri];
        text = text[..Encoding.UTF8.GetChars(proxyUri.Value.Span, text)];
        if (_lookup.TryGetValue(text, out var known))
        {
            error = null;
            return known;
        }

        var target = ProxyTarget.FromForwardRequest(request, out error);
        if (target is not null)
        {
            if (_byUri.Count >= Capacity)
            {
                _byUri.Clear();
            }

            _byUri[text.ToString()] = target;
        }

        return target;
    }
}

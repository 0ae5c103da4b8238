using Coap.Engine.Protocol;

namespace Services.Proxy;

/// <summary>
/// The options a proxy forwards and returns (RFC 7252 §5.7.2, RFC 8768): the request's Safe-to-Forward options and
/// the unsafe ones it understands go upstream, the target's path and query are set anew, Hop-Limit is decremented;
/// a response with an unsafe option the proxy does not know is not passed on (5.02).
/// </summary>
internal static class UpstreamMessages
{
    /// <summary>The response options of one hop: the engine sets its own for the client.</summary>
    private static readonly ushort[] HopOptions = [OptionNumber.Observe, OptionNumber.Block2, OptionNumber.Block1, OptionNumber.Size2, OptionNumber.Size1];

    /// <summary>Hop-Limit options 0..255 (RFC 8768 §3: one byte), encoded once.</summary>
    private static readonly CoapOption[] HopLimits = [.. Enumerable.Range(0, 256).Select(hops => CoapOption.FromUInt(OptionNumber.HopLimit, (uint)hops))];

    /// <summary>
    /// The request to send upstream, or null when the Hop-Limit is spent (the caller answers 5.08). Block options are
    /// not forwarded: the proxy moves whole bodies upstream and the engine serves blocks to the client.
    /// </summary>
    public static CoapMessage? Request(CoapMessage request, ProxyTarget target, int defaultHopLimit)
    {
        var hops = request.Options.TryGet(OptionNumber.HopLimit, out var hopLimit) && hopLimit.TryGetUInt(out var value) ? (int)value - 1 : defaultHopLimit;
        if (hops < 1)
        {
            return null;
        }

        var upstream = new CoapMessage(new CoapOptionList(request.Options.Count + target.UriOptions.Length + 1))
        {
            Type = CoapMessageType.Confirmable,
            Code = request.Code,
            Payload = request.Payload,
        };
        foreach (var option in request.Options)
        {
            if (Forwarded(option.Number))
            {
                upstream.Options.Add(option);
            }
        }

        foreach (var option in target.UriOptions)
        {
            upstream.Options.Add(option);
        }

        upstream.Options.Add(HopLimits[Math.Min(hops, HopLimits.Length - 1)]);
        return upstream;
    }

    /// <summary>The first unsafe option of a response that the proxy does not know, or -1.</summary>
    public static int UnknownUnsafe(CoapMessage response)
    {
        foreach (var option in response.Options)
        {
            if (OptionNumber.IsUnsafe(option.Number) && OptionDefinition.Find(option.Number) is null)
            {
                return option.Number;
            }
        }

        return -1;
    }

    /// <summary>
    /// The response for the client: the upstream's code, payload and options, without the block and Observe options
    /// the engine sets for this hop.
    /// </summary>
    public static CoapMessage Response(CoapMessage upstream)
    {
        var response = CoapMessage.CreateResponse(upstream.Code, upstream.Payload);
        foreach (var option in upstream.Options)
        {
            if (Array.IndexOf(HopOptions, option.Number) < 0)
            {
                response.Options.Add(option);
            }
        }

        return response;
    }

    /// <summary>
    /// As <see cref="Response"/>, in place: for an upstream answer nobody else holds (the engine sets token, type and
    /// message ID for this hop).
    /// </summary>
    public static CoapMessage Strip(CoapMessage upstream)
    {
        foreach (var number in HopOptions)
        {
            upstream.Options.Remove(number);
        }

        return upstream;
    }

    /// <summary>
    /// Whether a request option goes upstream as it is: not the target's (set anew), not this hop's (blocks, Observe,
    /// Hop-Limit), and an unsafe one only when the proxy understands it (an unknown critical one was refused with 4.02
    /// before, an unknown elective one is ignored, RFC 7252 §5.4.1). The OSCORE option passes untouched: the proxy
    /// forwards a protected request without reading it (RFC 8613 §2).
    /// </summary>
    private static bool Forwarded(ushort number) => number switch
    {
        OptionNumber.UriHost or OptionNumber.UriPort or OptionNumber.UriPath or OptionNumber.UriQuery
            or OptionNumber.ProxyUri or OptionNumber.ProxyScheme or OptionNumber.HopLimit or OptionNumber.Observe
            or OptionNumber.Block1 or OptionNumber.Block2 or OptionNumber.Size1 or OptionNumber.Size2 => false,
        OptionNumber.Oscore => true,
        _ => !OptionNumber.IsUnsafe(number) || OptionDefinition.Find(number) is not null,
    };
}

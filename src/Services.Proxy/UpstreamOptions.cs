namespace Services.Proxy;

/// <summary>
/// Settings for one upstream, bound from "Modules:Proxy:Upstreams:{name}": {name} is a route's name, or any name with
/// <see cref="Uri"/> naming the upstream. Each unset value is the proxy-wide one (a device on a slow mesh needs a
/// 20 s ACK_TIMEOUT where the others keep 2 s).
/// </summary>
public sealed class UpstreamOptions
{
    /// <summary>The upstream, "coap://host:port" or "coaps://host:port" (a path is ignored); unset for a route's own upstream.</summary>
    public string? Uri { get; set; }

    /// <summary>How long one exchange with this upstream may take before the client gets 5.04.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>ACK_TIMEOUT towards this upstream (RFC 7252 §4.8).</summary>
    public TimeSpan? AckTimeout { get; set; }

    /// <summary>MAX_RETRANSMIT towards this upstream.</summary>
    public int? MaxRetransmit { get; set; }

    /// <summary>
    /// For a coaps:// upstream (DTLS 1.2 with a pre-shared key): a file of one identity=key line, the identity the
    /// proxy presents and its key, in the format of Coap:Security:PskFile; only its owner may read it.
    /// </summary>
    public string? PskFile { get; set; }

    /// <summary>At most this many requests to this upstream at a time.</summary>
    public int? MaxInFlight { get; set; }
}

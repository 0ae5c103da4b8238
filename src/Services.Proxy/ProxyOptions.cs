namespace Services.Proxy;

/// <summary>The CoAP-to-CoAP proxy's settings, bound from "Modules:Proxy" (the module is off unless Enabled is true).</summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Modules:Proxy";

    /// <summary>The local path under which reverse routes live: route "sensor" answers at "/{Path}/sensor/...".</summary>
    public string Path { get; set; } = "dev";

    /// <summary>Reverse routes: a name and the coap:// upstream it stands for ("coap://[fd00::17]:5683", a base path allowed).</summary>
    public Dictionary<string, string> Routes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether requests with Proxy-Uri or Proxy-Scheme are forwarded (RFC 7252 §5.7); otherwise they get 5.05.</summary>
    public bool Forward { get; set; } = true;

    /// <summary>Whether anonymous peers other than loopback ones may use the proxy; authenticated ones pass when Access:Rules let them.</summary>
    public bool AllowRemote { get; set; }

    /// <summary>The name in the diagnostic of a 5.08 (RFC 8768 §3); the host name when unset.</summary>
    public string? Identity { get; set; }

    /// <summary>The Hop-Limit a request without one is forwarded with (RFC 8768 §3).</summary>
    public int HopLimit { get; set; } = 16;

    /// <summary>At most this many requests to one upstream at a time; 1 serialises them for a slow device.</summary>
    public int MaxInFlightPerUpstream { get; set; } = 8;

    /// <summary>Requests that wait for a slot of a busy upstream; beyond them (or with 0) a request gets 5.03 with Max-Age <see cref="BusyMaxAge"/>.</summary>
    public int QueuePerUpstream { get; set; } = 32;

    /// <summary>The Max-Age of the 5.03 a request gets when its upstream is busy.</summary>
    public TimeSpan BusyMaxAge { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one exchange with an upstream may take before the client gets 5.04.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>ACK_TIMEOUT towards upstreams (RFC 7252 §4.8): a device on a slow mesh needs far more than 2 s.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>MAX_RETRANSMIT towards upstreams (RFC 7252 §4.8).</summary>
    public int MaxRetransmit { get; set; } = 4;

    /// <summary>
    /// Settings of single upstreams by name (a route's name, or any name with <see cref="UpstreamOptions.Uri"/>):
    /// Timeout, AckTimeout, MaxRetransmit, MaxInFlight; what is unset is the proxy-wide value.
    /// </summary>
    public Dictionary<string, UpstreamOptions> Upstreams { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether 2.05 answers to GET are cached by Max-Age (RFC 7252 §5.6).</summary>
    public bool Cache { get; set; } = true;

    /// <summary>The cache's size in bytes (payloads and options); the least recently used entries go first.</summary>
    public long CacheBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>The largest representation the proxy fetches from an upstream in Block2 blocks; a larger one is 5.02.</summary>
    public long MaxBodySize { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// Bytes of whole answers kept for the clients fetching them block by block when the cache does not hold them
    /// (so that each block does not fetch the whole body upstream again); 0 keeps none.
    /// </summary>
    public long TransferBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>How long such an answer is kept for the rest of its blocks.</summary>
    public TimeSpan TransferLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Upstream observations held at once (RFC 7641 §5); a registration beyond them is answered as a plain GET.</summary>
    public int MaxObservations { get; set; } = 1000;
}

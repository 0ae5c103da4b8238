namespace Services.Doc.Upstream;

/// <summary>No upstream gave an answer: the service turns this into SERVFAIL (RFC 9953 §4.3.3: a DNS error, not a CoAP one).</summary>
internal sealed class DnsUpstreamException(string message, Exception? inner = null) : Exception(message, inner);

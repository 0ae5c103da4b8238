using Coap.Engine.Messaging;

namespace Coap.Engine.Server;

/// <summary>The engine's settings, bound from the "Coap" section.</summary>
public sealed class CoapServerOptions : CoapEndpointOptions
{
    public const string SectionName = "Coap";

    /// <summary>
    /// The address to listen on. "::" (the default) or "0.0.0.0" listens on every local address with one
    /// socket each, so a reply leaves from the address its request arrived on.
    /// </summary>
    public string Address { get; set; } = "::";

    /// <summary>The UDP port; 0 picks a free port.</summary>
    public int Port { get; set; } = 5683;

    /// <summary>Plain CoAP ("Coap:Plain").</summary>
    public CoapPlainOptions Plain { get; set; } = new();

    /// <summary>CoAP over DTLS ("Coap:Security").</summary>
    public CoapSecurityOptions Security { get; set; } = new();

    /// <summary>OSCORE (RFC 8613): Coap:Oscore:Contexts:{identity} = a context folder.</summary>
    public OscoreServerOptions Oscore { get; set; } = new();
}

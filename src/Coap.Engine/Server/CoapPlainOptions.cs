namespace Coap.Engine.Server;

/// <summary>Plain CoAP over UDP (coap://), bound from "Coap:Plain".</summary>
public sealed class CoapPlainOptions
{
    /// <summary>Whether the server listens for plain CoAP on <c>Coap:Address</c> and <c>Coap:Port</c>.</summary>
    public bool Enabled { get; set; } = true;
}

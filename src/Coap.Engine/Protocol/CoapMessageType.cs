namespace Coap.Engine.Protocol;

/// <summary>The message type in the CoAP header (RFC 7252 §3).</summary>
public enum CoapMessageType : byte
{
    Confirmable = 0,
    NonConfirmable = 1,
    Acknowledgement = 2,
    Reset = 3,
}

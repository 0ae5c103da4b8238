namespace Coap.Engine.Client;

/// <summary>The server answered the request with RST: it could not process the message (RFC 7252 §4.2).</summary>
public sealed class CoapResetException : CoapException
{
    public CoapResetException(string message)
        : base(message)
    {
    }
}

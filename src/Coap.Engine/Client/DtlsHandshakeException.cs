namespace Coap.Engine.Client;

/// <summary>
/// A DTLS session for a <c>coaps://</c> request could not be made: the server refused the identity, the handshake
/// did not finish in time (a wrong key shows only this way), nothing answered, or the client has no credentials.
/// </summary>
public sealed class DtlsHandshakeException : CoapException
{
    public DtlsHandshakeException(string message)
        : base(message)
    {
    }

    public DtlsHandshakeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace Coap.Engine.Client;

/// <summary>No response in time: MAX_RETRANSMIT retransmissions unanswered, or the request's timeout passed.</summary>
public sealed class CoapTimeoutException : CoapException
{
    public CoapTimeoutException(string message)
        : base(message)
    {
    }
}

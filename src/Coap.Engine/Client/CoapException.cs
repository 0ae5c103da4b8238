namespace Coap.Engine.Client;

/// <summary>A request that ended without a response.</summary>
public class CoapException : Exception
{
    public CoapException(string message)
        : base(message)
    {
    }

    public CoapException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace Coap.Engine.Hosting;

/// <summary>
/// A setting, or what the machine makes of it (a port already taken), that keeps the server from starting. The
/// message names the key; the host prints it as one line and exits with code 2. Modules throw it too.
/// </summary>
public sealed class CoapConfigurationException : Exception
{
    public CoapConfigurationException()
    {
    }

    public CoapConfigurationException(string message)
        : base(message)
    {
    }

    public CoapConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

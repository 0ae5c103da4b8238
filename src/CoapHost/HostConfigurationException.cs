namespace CoapHost;

/// <summary>A setting that keeps the host from starting; the message names the key.</summary>
internal sealed class HostConfigurationException : Exception
{
    public HostConfigurationException(string message)
        : base(message)
    {
    }

    public HostConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

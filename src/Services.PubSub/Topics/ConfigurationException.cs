namespace Services.PubSub.Topics;

/// <summary>A configuration map or request the broker refuses with 4.00; the message becomes the diagnostic payload.</summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

using Coap.Engine.Client;

namespace Coap.Cli.Commands.PubSub;

/// <summary>URIs on the broker a command was given: a path such as "/ps/1bd0d6d" or "ps/data/1bd0d6d" on the same scheme, host and port.</summary>
internal static class BrokerUri
{
    public static CoapUri On(CoapUri broker, string path)
    {
        var text = broker.ToString();
        var authorityEnd = text.IndexOf('/', text.IndexOf("://", StringComparison.Ordinal) + 3);
        return CoapUri.Parse(string.Concat(text.AsSpan(0, authorityEnd), "/", path.TrimStart('/')));
    }
}

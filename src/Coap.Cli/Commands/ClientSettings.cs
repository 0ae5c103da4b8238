using Coap.Engine.Client;

namespace Coap.Cli.Commands;

/// <summary>How to talk to the server: the timeout (null for the client's default), CON or NON, and whether to trace.</summary>
internal sealed record ClientSettings(TimeSpan? Timeout, bool NonConfirmable, bool Verbose)
{
    public CoapClientOptions ToClientOptions() => new() { Timeout = Timeout, NonConfirmable = NonConfirmable };
}

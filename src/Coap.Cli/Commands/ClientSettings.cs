using Coap.Engine.Client;

namespace Coap.Cli.Commands;

/// <summary>
/// How to talk to the server: the timeout (null for the client's default), CON or NON, whether to trace, and the
/// block size for block-wise transfers (null for the client's default, 1024).
/// </summary>
internal sealed record ClientSettings(TimeSpan? Timeout, bool NonConfirmable, bool Verbose)
{
    public int? BlockSize { get; init; }

    public CoapClientOptions ToClientOptions()
    {
        var options = new CoapClientOptions { Timeout = Timeout, NonConfirmable = NonConfirmable };
        if (BlockSize is { } size)
        {
            options.BlockSize = size;
        }

        return options;
    }
}

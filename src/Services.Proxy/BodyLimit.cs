using Coap.Engine.Client;

namespace Services.Proxy;

/// <summary>
/// Bounds a representation an upstream sends in Block2 blocks: the engine's client reports each block as it arrives,
/// and past <see cref="ProxyOptions.MaxBodySize"/> this stops the transfer (the client gets 5.02), so a hostile
/// upstream cannot make the proxy hold an endless body.
/// </summary>
internal sealed class BodyLimit : IProgress<TransferProgress>
{
    private readonly long _max;

    public BodyLimit(long max) => _max = max;

    public void Report(TransferProgress value)
    {
        if (value.BytesDone > _max || value.Total > _max)
        {
            throw new CoapException($"the upstream's representation exceeds {_max} bytes (Modules:Proxy:MaxBodySize)");
        }
    }
}

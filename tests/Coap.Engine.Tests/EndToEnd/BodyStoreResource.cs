using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Tests.EndToEnd;

/// <summary>GET answers the stored body (the same array until the next PUT, so its ETag is computed once); PUT replaces it.</summary>
internal sealed class BodyStoreResource : CoapResource
{
    private byte[] _body;
    private int _gets;

    public BodyStoreResource(byte[] body)
    {
        _body = body;
    }

    public byte[] Body => Volatile.Read(ref _body);

    public int Gets => Volatile.Read(ref _gets);

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context)
    {
        Interlocked.Increment(ref _gets);
        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Body, ContentFormat.OctetStream));
    }

    protected override ValueTask<CoapMessage> OnPut(CoapRequestContext context)
    {
        Volatile.Write(ref _body, context.Request.Payload.ToArray());
        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
    }
}

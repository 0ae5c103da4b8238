using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Bench.Server;

/// <summary>
/// libcoap's example /example_data, for the block-wise benchmark: GET answers the stored body, PUT replaces it.
/// The body starts as <see cref="InitialLength"/> pseudo-random bytes from a fixed seed. GET returns the same array
/// until the next PUT, so the engine's Block2 stage hashes it for the ETag once and then only slices it.
/// </summary>
internal sealed class ExampleDataResource : CoapResource
{
    public const int InitialLength = 10 * 1024 * 1024;

    private byte[] _body;

    public ExampleDataResource()
    {
        _body = new byte[InitialLength];
        new Random(1).NextBytes(_body);
    }

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Volatile.Read(ref _body), ContentFormat.OctetStream));

    protected override ValueTask<CoapMessage> OnPut(CoapRequestContext context)
    {
        Volatile.Write(ref _body, context.Request.Payload.ToArray());
        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
    }
}

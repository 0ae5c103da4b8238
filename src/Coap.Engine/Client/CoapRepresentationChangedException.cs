namespace Coap.Engine.Client;

/// <summary>
/// The representation changed during a block-wise transfer: a block came with an ETag other than block 0's (RFC 9177
/// §4.4, RFC 7959 §2.4), so the blocks are of two versions and are not put together.
/// </summary>
public sealed class CoapRepresentationChangedException : CoapException
{
    public CoapRepresentationChangedException(string message)
        : base(message)
    {
    }
}

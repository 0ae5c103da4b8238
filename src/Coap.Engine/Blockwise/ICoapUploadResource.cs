using Coap.Engine.Server;

namespace Coap.Engine.Blockwise;

/// <summary>
/// A resource that takes Block1 uploads (RFC 7959 §2.5) as a stream instead of an assembled body: the engine opens a
/// sink on block 0, writes each block to it as it arrives, in order, and commits it after the last block. A request
/// without Block1 still goes to <see cref="ICoapResource.HandleAsync"/> with its payload.
/// </summary>
public interface ICoapUploadResource : ICoapResource
{
    /// <summary>
    /// Opens a sink for the upload that <paramref name="context"/>'s request (its block 0) starts. The request's
    /// Size1, if any, announces the body's length (RFC 7959 §4).
    /// </summary>
    ValueTask<ICoapUploadSink> BeginUploadAsync(CoapRequestContext context);
}

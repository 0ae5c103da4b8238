using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Where the blocks of one upload go (see <see cref="ICoapUploadResource"/>). The engine calls
/// <see cref="WriteAsync"/> once per block in offset order, never concurrently, then <see cref="CommitAsync"/> once,
/// then disposes the sink. Disposing a sink that was not committed aborts the upload: that happens when the transfer
/// is abandoned (no block for EXCHANGE_LIFETIME), fails (4.08, 4.13), is restarted from block 0 or a write throws.
/// A file sink writes a temporary file, renames it on commit and deletes it on abort.
/// </summary>
public interface ICoapUploadSink : IAsyncDisposable
{
    /// <summary>Takes the bytes at <paramref name="offset"/> of the body; the memory is only valid during the call.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> block, long offset, CancellationToken cancellationToken);

    /// <summary>Makes the upload take effect and returns the response to the last block (2.01, 2.04, …).</summary>
    ValueTask<CoapMessage> CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A response refusing the upload, or null to go on. The engine reads it after
    /// <see cref="ICoapUploadResource.BeginUploadAsync"/> and after every <see cref="WriteAsync"/>; when set, that block
    /// is answered with it and the upload is aborted. For what only the first block or the running size can tell: a
    /// failed precondition (4.12, RFC 7252 §5.10.8) or a body past a quota (4.13 with Size1, RFC 7959 §2.9.3, §4).
    /// </summary>
    CoapMessage? Refusal => null;
}

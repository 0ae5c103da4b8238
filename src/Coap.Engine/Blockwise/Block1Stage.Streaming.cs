using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Blockwise;

/// <summary>Block1 uploads to an <see cref="ICoapUploadResource"/>: blocks go to its sink as they arrive.</summary>
internal sealed partial class Block1Stage
{
    /// <remarks>
    /// The position is advanced under the lock before the write, so a block racing the previous one's write is
    /// judged against where the upload will stand. Sinks hold their bytes themselves (a file, not memory), so they
    /// do not count against Coap:MaxPendingUploadBytes.
    /// </remarks>
    private async ValueTask<CoapMessage> StreamAsync(CoapRequestContext context, ICoapUploadResource resource, UploadKey key, BlockValue block, BlockValue echo)
    {
        var request = context.Request;
        var fresh = block.Number == 0 ? await resource.BeginUploadAsync(context).ConfigureAwait(false) : null;
        if (fresh?.Refusal is { } refused)
        {
            Forget(key, null);
            await fresh.DisposeAsync().ConfigureAwait(false);
            return refused;
        }

        PendingUpload? upload;
        PendingUpload? dropped = null;
        CoapMessage? refusal = null;
        lock (_gate)
        {
            _uploads.TryGetValue(key, out upload);
            if (upload is not null && (fresh is not null || upload.Received != block.Offset))
            {
                RemoveLocked(upload);
                dropped = upload;
                upload = null;
            }

            if (fresh is not null)
            {
                upload = new PendingUpload(key, fresh);
                if (block.More)
                {
                    AddLocked(upload);
                }
            }
            else if (upload is null)
            {
                refusal = Incomplete(block, dropped);
            }
            else if (!block.More)
            {
                RemoveLocked(upload);
            }
            else
            {
                upload.Expiry!.Change(_lifetime, Timeout.InfiniteTimeSpan);
            }

            if (upload is not null)
            {
                upload.Received += request.Payload.Length;
            }
        }

        if (dropped?.Sink is { } old)
        {
            Abort(old);
        }

        if (refusal is not null)
        {
            return refusal;
        }

        var sink = upload!.Sink!;
        try
        {
            await sink.WriteAsync(request.Payload, block.Offset, context.Aborted).ConfigureAwait(false);
            if (sink.Refusal is { } stop)
            {
                Forget(key, upload);
                return stop;
            }

            if (block.More)
            {
                return Continue(echo);
            }

            return WithBlock1(await sink.CommitAsync(context.Aborted).ConfigureAwait(false), echo);
        }
        catch
        {
            Forget(key, upload);
            throw;
        }
        finally
        {
            if (!block.More)
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Aborts a sink in the background: a failing abort (a temp file whose directory is gone, a full disk) has nobody
    /// to report to, so it is logged, never thrown into a timer or the request of another upload.
    /// </summary>
    private void Abort(ICoapUploadSink sink)
    {
        ValueTask disposal;
        try
        {
            disposal = sink.DisposeAsync();
        }
        catch (Exception error)
        {
            disposal = ValueTask.FromException(error);
        }

        disposal.Forget(_logger, "aborting an unfinished Block1 upload");
    }
}

using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Blockwise;

/// <summary>Block1 uploads to an <see cref="ICoapUploadResource"/>: blocks go to its sink as they arrive.</summary>
internal sealed partial class Block1Stage
{
    /// <remarks>
    /// The position is advanced under the lock before the write, so a block racing the previous one's write is
    /// judged against where the upload will stand. A streamed upload counts against the limits from before its sink
    /// is opened until the sink is disposed (see the quota partial).
    /// </remarks>
    private async ValueTask<CoapMessage> StreamAsync(CoapRequestContext context, ICoapUploadResource resource, UploadKey key, BlockValue block, BlockValue echo)
    {
        var request = context.Request;
        PendingUpload? upload;
        if (block.Number == 0)
        {
            var (opened, refusal) = await OpenAsync(context, resource, key, block.More).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }

            upload = opened!;
        }
        else
        {
            PendingUpload? dropped = null;
            lock (_gate)
            {
                _uploads.TryGetValue(key, out upload);
                if (upload is not null && upload.Received != block.Offset)
                {
                    RemoveLocked(upload);
                    dropped = upload;
                    upload = null;
                }
                else if (upload is not null)
                {
                    if (block.More)
                    {
                        upload.Expiry!.Change(_lifetime, Timeout.InfiniteTimeSpan);
                    }
                    else
                    {
                        UnlistLocked(upload);
                    }

                    upload.Received += request.Payload.Length;
                }
            }

            if (dropped?.Sink is { } old)
            {
                Abort(old);
            }

            if (upload is null)
            {
                return Incomplete(block, dropped);
            }
        }

        var sink = upload.Sink!;
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
                try
                {
                    await sink.DisposeAsync().ConfigureAwait(false);
                }
                finally
                {
                    Release(upload);
                }
            }
        }
    }

    /// <summary>
    /// Block 0: an upload already under the key is dropped (a restart), the new one is counted against the limits (or
    /// refused with 5.03 before anything is opened), then the resource opens its sink, which may refuse in turn.
    /// </summary>
    private async ValueTask<(PendingUpload? Upload, CoapMessage? Refusal)> OpenAsync(CoapRequestContext context, ICoapUploadResource resource, UploadKey key, bool more, QBlock1State? qblock = null)
    {
        var upload = new PendingUpload(key) { Received = context.Request.Payload.Length, QBlock = qblock };
        PendingUpload? dropped = null;
        var fits = true;
        lock (_gate)
        {
            if (_uploads.TryGetValue(key, out var old))
            {
                RemoveLocked(old);
                dropped = old;
            }

            if (FitsLocked(key.Peer, StreamedUploadBytes, file: true))
            {
                ChargeLocked(upload, StreamedUploadBytes, file: true);
            }
            else
            {
                fits = false;
            }
        }

        if (dropped?.Sink is { } abandoned)
        {
            Abort(abandoned);
        }

        if (!fits)
        {
            return (null, Busy());
        }

        ICoapUploadSink sink;
        try
        {
            sink = await resource.BeginUploadAsync(context).ConfigureAwait(false);
        }
        catch
        {
            Release(upload);
            throw;
        }

        if (sink.Refusal is { } refused)
        {
            Release(upload);
            await sink.DisposeAsync().ConfigureAwait(false);
            return (null, refused);
        }

        upload.Sink = sink;
        PendingUpload? raced = null;
        if (more)
        {
            lock (_gate)
            {
                if (_uploads.TryGetValue(key, out raced))
                {
                    RemoveLocked(raced);
                }

                AddLocked(upload);
            }
        }

        if (raced?.Sink is { } overtaken)
        {
            Abort(overtaken);
        }

        return (upload, null);
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

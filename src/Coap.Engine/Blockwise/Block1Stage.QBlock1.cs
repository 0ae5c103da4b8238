using System.Formats.Cbor;
using Coap.Engine.Exchanges;
using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Q-Block1 uploads (RFC 9177 §4.3) to an <see cref="ICoapUploadResource"/>: the blocks of a body come as bursts of
/// NON requests carrying Q-Block1, in any order; they go to the resource's sink in order, so the file service's atomic
/// commit holds as with Block1.
/// </summary>
/// <remarks>
/// A NON block other than block 0 that comes in order with no block missing before it, and is not the last of its
/// MAX_PAYLOADS set (number + 1 a multiple of Coap:QBlock:MaxPayloads) nor the last of the body, is not answered
/// (RFC 9177 §4.3: the server answers a set, not each block); the set's last block is answered for it. Every other
/// block is answered (a CON one, one that shows a gap, comes above one or fills one, one that came before, one not
/// held): while blocks are missing each block that comes lists them, so that the client sends them again as soon as
/// it deems them lost. The answer is 2.31 Continue with Q-Block1
/// naming the highest block received with all before it, M set; or, when blocks below the highest one received are
/// missing, 4.08 Request Entity Incomplete with Content-Format 272 (application/missing-blocks+cbor-seq) listing them,
/// lowest first, at most <see cref="MaxListedMissing"/>. When the last block (M clear) and all before it are in, the sink is committed and its response goes
/// to the request that completed the body, with Q-Block1 of the last block; later copies of blocks of that upload get
/// the same response until EXCHANGE_LIFETIME. Blocks of one upload share the request's cache-key options, Request-Tag
/// included (<see cref="UploadKey"/>): a client restarting an upload uses a new tag, so blocks of the old one never
/// mix with the new one. Out-of-order blocks are held in memory, at most <see cref="QBlock1Ahead"/> beyond the next
/// block due, each counted against Coap:MaxPendingUploadBytes and the peer's share; a block that does not fit is
/// dropped and reported missing later. Q-Block1 is refused with 4.02 Bad Option (the answer of a server without it, so
/// clients fall back to Block1) when Q-Block is off, over OSCORE, with Block1 in the same request, for a resource that
/// does not take streamed uploads, and for blocks larger than Coap:MaxBlockSize.
/// </remarks>
internal sealed partial class Block1Stage
{
    /// <summary>How far beyond the next block due a Q-Block1 block may be and still be held.</summary>
    internal const int QBlock1Ahead = 128;

    /// <summary>The most block numbers one 4.08 lists (the lowest missing ones), so that it fits a datagram.</summary>
    internal const int MaxListedMissing = 128;

    /// <summary>Content-Format application/missing-blocks+cbor-seq (RFC 9177 §12.3).</summary>
    internal const ushort MissingBlocksFormat = 272;

    private async ValueTask<CoapMessage> QBlock1Async(CoapRequestContext context)
    {
        var request = context.Request;
        if (QBlock1Refusal(context) is { } reason)
        {
            return Diagnostic(CoapCode.BadOption, reason);
        }

        if (!request.Options.TryGet(OptionNumber.QBlock1, out var option) || !BlockValue.TryDecode(option.Value.Span, out var block))
        {
            return ReservedBlockSize.Answer(OptionNumber.QBlock1);
        }

        if (block.SizeExponent > _maxExponent)
        {
            return Diagnostic(CoapCode.BadOption, $"Q-Block1 blocks may be at most {1 << (_maxExponent + 4)} bytes here");
        }

        var length = request.Payload.Length;
        if (block.More ? length != block.Size : length > block.Size)
        {
            return Diagnostic(CoapCode.BadRequest, $"Q-Block1 {block} carries {length} bytes");
        }

        if (context.Entry.Resource.RefuseBeforeBody(context) is { } refused)
        {
            return refused;
        }

        var announced = request.Options.GetUInt(OptionNumber.Size1);
        if ((block.Number == 0 && announced > _maxBody) || block.Offset + length > _maxBody)
        {
            return TooLarge(_maxBody);
        }

        var key = UploadKey.From(context.Peer, request);
        PendingUpload? upload;
        PendingUpload? dropped = null;
        lock (_gate)
        {
            _uploads.TryGetValue(key, out upload);
            if (upload is { QBlock: null })
            {
                RemoveLocked(upload);
                dropped = upload;
                upload = null;
            }
        }

        if (dropped?.Sink is { } old)
        {
            Abort(old);
        }

        if (upload is null)
        {
            if (block.Number != 0)
            {
                return Incomplete(block, null);
            }

            var (opened, refusal) = await OpenAsync(context, (ICoapUploadResource)context.Entry.Resource, key, more: true, new QBlock1State()).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }

            upload = opened!;
        }

        var state = upload.QBlock!;
        await state.Gate.WaitAsync(context.Aborted).ConfigureAwait(false);
        try
        {
            return await TakeQBlock1Async(context, upload, state, block).ConfigureAwait(false);
        }
        catch
        {
            Forget(key, upload);
            throw;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private string? QBlock1Refusal(CoapRequestContext context)
    {
        if (!_qblock)
        {
            return "Q-Block is not enabled";
        }

        if (context.Oscore is not null)
        {
            return "Q-Block1 is not taken over OSCORE";
        }

        if (context.Request.Options.Contains(OptionNumber.Block1))
        {
            return "Q-Block1 does not go with Block1";
        }

        return context.Entry.Resource is ICoapUploadResource ? null : "this resource takes Block1 uploads only";
    }

    /// <summary>Takes one block under the upload's gate: writes it (and the held blocks it unblocks) or holds it; answers.</summary>
    private async ValueTask<CoapMessage> TakeQBlock1Async(CoapRequestContext context, PendingUpload upload, QBlock1State state, BlockValue block)
    {
        if (state.Final is { } final)
        {
            return Copy(final);
        }

        var sink = upload.Sink!;
        var number = (int)block.Number;
        var payload = context.Request.Payload;
        if (state.Exponent < 0)
        {
            state.Exponent = block.SizeExponent;
        }
        else if (state.Exponent != block.SizeExponent)
        {
            return Diagnostic(CoapCode.BadRequest, "Q-Block1 blocks of one upload must have one size");
        }

        if (!block.More)
        {
            state.Last ??= number;
        }

        if (number == state.Next)
        {
            await sink.WriteAsync(payload, block.Offset, context.Aborted).ConfigureAwait(false);
            state.Next++;
            while (sink.Refusal is null && state.Early.Remove(state.Next, out var held))
            {
                Uncharge(upload, held.Length);
                await sink.WriteAsync(held, (long)state.Next * block.Size, context.Aborted).ConfigureAwait(false);
                state.Next++;
            }

            if (sink.Refusal is { } stop)
            {
                Forget(upload.Key, upload);
                return stop;
            }
        }
        else if (number > state.Next && number - state.Next <= QBlock1Ahead && !state.Early.ContainsKey(number))
        {
            lock (_gate)
            {
                // Counted only while the upload is in the table: one that expired (or was dropped) meanwhile has given
                // back what it counted, and nothing would give these bytes back.
                if (IsListedLocked(upload) && FitsLocked(upload.Key.Peer, payload.Length, file: false))
                {
                    ChargeLocked(upload, payload.Length, file: false);
                    state.Early[number] = payload.ToArray();
                }
            }
        }

        var highest = state.Highest;
        if (state.Early.ContainsKey(number) || number < state.Next)
        {
            state.Highest = Math.Max(state.Highest, number);
        }

        if (state.Last is { } last && state.Next > last)
        {
            return await CommitQBlock1Async(context, upload, state, block).ConfigureAwait(false);
        }

        lock (_gate)
        {
            upload.Expiry?.Change(_lifetime, Timeout.InfiniteTimeSpan);
        }

        if (number > 0 && number == highest + 1 && state.Next == number + 1 && (number + 1) % _maxPayloads != 0 && context.Request.Type == CoapMessageType.NonConfirmable)
        {
            // The next block of a set, in order with none missing: its set's last block is answered for it.
            return CoapEndpoint.NoResponse;
        }

        return state.Highest < state.Next ? QBlock1Continue(state) : MissingBlocks(state);
    }

    private async ValueTask<CoapMessage> CommitQBlock1Async(CoapRequestContext context, PendingUpload upload, QBlock1State state, BlockValue block)
    {
        var sink = upload.Sink!;
        CoapMessage response;
        try
        {
            response = await sink.CommitAsync(context.Aborted).ConfigureAwait(false);
            response.Options.Set(new BlockValue(state.Last!.Value, false, block.SizeExponent).ToOption(OptionNumber.QBlock1));
            state.Final = Copy(response);
        }
        finally
        {
            upload.Sink = null;
            try
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                // The entry stays until it expires, answering late copies of blocks with the final response.
                Release(upload);
            }
        }

        return response;
    }

    private bool IsListedLocked(PendingUpload upload) => _uploads.TryGetValue(upload.Key, out var listed) && ReferenceEquals(listed, upload);

    private void Uncharge(PendingUpload upload, int bytes)
    {
        lock (_gate)
        {
            if (upload.ChargedBytes >= bytes)
            {
                upload.ChargedBytes -= bytes;
                Adjust(upload.Key.Peer, -bytes, 0);
            }
        }
    }

    private static CoapMessage QBlock1Continue(QBlock1State state)
    {
        var response = CoapMessage.CreateResponse(CoapCode.Continue);
        response.Options.Add(new BlockValue(state.Next - 1, true, state.Exponent).ToOption(OptionNumber.QBlock1));
        return response;
    }

    /// <summary>4.08 with the CBOR sequence of the blocks missing below the highest one received (RFC 9177 §5).</summary>
    internal static CoapMessage MissingBlocks(QBlock1State state)
    {
        var writer = new CborWriter(CborConformanceMode.Strict, allowMultipleRootLevelValues: true);
        var listed = 0;
        for (var number = state.Next; number < state.Highest && listed < MaxListedMissing; number++)
        {
            if (!state.Early.ContainsKey(number))
            {
                writer.WriteUInt32((uint)number);
                listed++;
            }
        }

        var response = CoapMessage.CreateResponse(CoapCode.RequestEntityIncomplete, writer.Encode());
        response.ContentFormat = MissingBlocksFormat;
        return response;
    }

    private static CoapMessage Copy(CoapMessage response)
    {
        var copy = CoapMessage.CreateResponse(response.Code, response.Payload);
        foreach (var option in response.Options)
        {
            copy.Options.Add(option);
        }

        return copy;
    }
}

/// <summary>What the stage knows of one Q-Block1 upload; mutated under its <see cref="Gate"/>.</summary>
internal sealed class QBlock1State
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The next block due at the sink.</summary>
    public int Next { get; set; }

    /// <summary>The highest block received (written or held), -1 before any.</summary>
    public int Highest { get; set; } = -1;

    /// <summary>The last block's number, once a block with M clear came.</summary>
    public int? Last { get; set; }

    public int Exponent { get; set; } = -1;

    /// <summary>Blocks received ahead of <see cref="Next"/>, by number.</summary>
    public Dictionary<int, byte[]> Early { get; } = [];

    /// <summary>The commit's response, once the upload is complete.</summary>
    public CoapMessage? Final { get; set; }
}

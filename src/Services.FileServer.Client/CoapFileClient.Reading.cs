using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Services.FileServer.Client;

public sealed partial class CoapFileClient
{
    /// <summary>
    /// Reads a whole file into <paramref name="destination"/>, writing each block as it arrives: by Q-Block2 (RFC 9177)
    /// when the server supports it, in NON bursts with lost blocks asked for again, so no more than the congestion
    /// window is held in memory; otherwise block by block (RFC 7959 §2.4), one block held. Returns the file's ETag. When
    /// the ETag changes between blocks the file was replaced mid-read: the read stops with 4.12 rather than mixing two
    /// versions.
    /// </summary>
    public async Task<FileETag?> ReadAsync(CoapUri uri, Stream destination, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (_, etag) = await ReadBlocksAsync(uri, null, FileOperation.Read, long.MaxValue, destination.WriteAsync, progress, cancellationToken).ConfigureAwait(false);
        return etag;
    }

    /// <summary>
    /// GETs a representation from block 0 (RFC 7959 §2.4; block 0 asks for Size2, §4) and hands each block's payload to
    /// <paramref name="write"/> in order as it arrives. When the server supports Q-Block2 (RFC 9177) the blocks after
    /// block 0 come in NON bursts (<see cref="CoapClient.ContinueWithQBlockAsync"/>, unless Q-Block is off in the
    /// client's options), otherwise one request each. The server is not trusted: every block must carry block 0's ETag
    /// (else 4.12, the representation changed and two versions are never mixed), sit at the offset read so far and,
    /// unless it is the last, be full (else a <see cref="CoapException"/>: a server that answers another block, or one
    /// that never ends, is not followed), and the whole may not pass <paramref name="limit"/> (refused as soon as Size2
    /// or the bytes read do). Returns block 0's response and ETag.
    /// </summary>
    private async Task<(CoapMessage First, FileETag? ETag)> ReadBlocksAsync(
        CoapUri uri,
        int? accept,
        FileOperation operation,
        long limit,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        long done = 0;
        long? total = null;
        CoapMessage? first = null;
        FileETag? etag = null;
        var exponent = BlockValue.ExponentFor(Client.Options.BlockSize);
        while (true)
        {
            var request = BlockRequest(done, exponent, accept);
            var (response, tag, block) = await GetBlockAsync(request, uri, cancellationToken, operation: operation).ConfigureAwait(false);
            if (first is null)
            {
                first = response;
                etag = tag;
                total = response.Options.GetUInt(OptionNumber.Size2);
            }
            else if (!Equals(etag, tag))
            {
                throw ChangedWhileReading(uri, operation);
            }

            if (total > limit || done + response.Payload.Length > limit)
            {
                throw new CoapException($"The {(operation == FileOperation.List ? "listing of" : "file")} {uri} is larger than {limit} bytes, more than this client reads.");
            }

            var offset = block?.Offset ?? 0;
            if (offset != done || (block is { More: true } full && response.Payload.Length != full.Size))
            {
                throw new CoapException($"The server answered the request for byte {done} of {uri} with {response.Payload.Length} bytes at byte {offset}{(block is { More: true } ? " and more to come" : string.Empty)}; a block-wise transfer goes on where it left off, in full blocks (RFC 7959 §2.2, §2.4).");
            }

            if (done == 0 && block is { More: true } && await ContinueWithQBlockAsync(request, response, uri, operation, write, progress, cancellationToken).ConfigureAwait(false))
            {
                return (first, etag);
            }

            await write(response.Payload, cancellationToken).ConfigureAwait(false);
            done += response.Payload.Length;
            if (block is not { More: true } next)
            {
                progress?.Report(new TransferProgress(done, total ?? done));
                return (first, etag);
            }

            progress?.Report(new TransferProgress(done, total));
            exponent = next.SizeExponent;
        }
    }

    /// <summary>
    /// The blocks after block 0 by Q-Block2 (RFC 9177 §4.4) when the server supports it: true when they came (all of
    /// them written), false when the server has no Q-Block or the client goes through a forward proxy (nothing
    /// written; RFC 7959 goes on from block 1). The
    /// engine checks every block against block 0's ETag and size; a block with another ETag is the 4.12 of a file
    /// replaced mid-read, as by RFC 7959.
    /// </summary>
    private async Task<bool> ContinueWithQBlockAsync(
        CoapMessage request,
        CoapMessage first,
        CoapUri uri,
        FileOperation operation,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (Route is not null)
        {
            // Through a forward proxy the blocks are asked for one by one (the proxy keeps the body for the transfer).
            return false;
        }

        var remote = await RemoteAsync(uri, cancellationToken).ConfigureAwait(false);
        CoapMessage? last;
        try
        {
            last = await Client.ContinueWithQBlockAsync(request, first, remote, write, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (CoapRepresentationChangedException changed)
        {
            // The engine stops on a block whose ETag is not block 0's: here that is the 4.12 of a representation
            // replaced mid-read, as by RFC 7959.
            throw ChangedWhileReading(uri, operation, changed);
        }

        if (last is null)
        {
            return false;
        }

        Success(last, operation, uri);
        return true;
    }

    /// <summary>
    /// Reads at most <paramref name="count"/> bytes from <paramref name="offset"/> with Block2 random access
    /// (RFC 7959 §2.4): only the blocks covering the range are asked for, the first with Size2 and, when the range
    /// spans more blocks and the server supports Q-Block2, the rest in NON bursts (RFC 9177 §4.4), else one per
    /// request. Fewer bytes come back at the end of the file, none beyond it. A range spanning blocks of two versions
    /// of the file (the ETag changed) is 4.12.
    /// </summary>
    public async Task<byte[]> ReadRangeAsync(CoapUri uri, long offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new byte[count];
        var filled = 0;
        FileETag? etag = null;
        var exponent = BlockValue.ExponentFor(Client.Options.BlockSize);
        while (filled < count)
        {
            var position = offset + filled;
            var request = BlockRequest(position, exponent, null);
            request.Options.Set(CoapOption.FromUInt(OptionNumber.Size2, 0));
            var (response, tag, block) = await GetBlockAsync(request, uri, cancellationToken, beyondEndIsEmpty: true).ConfigureAwait(false);
            var start = block?.Offset ?? 0;
            if (position < start || position >= start + response.Payload.Length)
            {
                break;
            }

            if (filled > 0 && !Equals(etag, tag))
            {
                throw ChangedWhileReading(uri, FileOperation.Read);
            }

            etag = tag;
            if (filled == 0 && block is { More: true } first && await RangeByQBlockAsync(request, response, first, uri, offset, result, cancellationToken).ConfigureAwait(false) is { } got)
            {
                return got == count ? result : result[..got];
            }

            var take = (int)Math.Min(count - filled, start + response.Payload.Length - position);
            response.Payload.Span.Slice((int)(position - start), take).CopyTo(result.AsSpan(filled));
            filled += take;
            if (block is not { More: true } next)
            {
                break;
            }

            exponent = next.SizeExponent;
        }

        return filled == count ? result : result[..filled];
    }

    /// <summary>
    /// The blocks of a range after its first (<paramref name="first"/>, answering <paramref name="request"/>) by
    /// Q-Block2, copied into <paramref name="result"/> (the bytes from <paramref name="offset"/>): how many bytes of it
    /// were filled, or null when Q-Block does not apply (the range ends in the first block, Q-Block is off, a forward
    /// proxy is in the way, or the server lacks it) and nothing was copied.
    /// </summary>
    private async Task<int?> RangeByQBlockAsync(CoapMessage request, CoapMessage response, BlockValue first, CoapUri uri, long offset, byte[] result, CancellationToken cancellationToken)
    {
        var end = offset + result.Length;
        var until = (int)Math.Min(BlockValue.MaxNumber + 1L, (end + first.Size - 1) / first.Size);
        if (Route is not null || until <= first.Number + 1)
        {
            return null;
        }

        var remote = await RemoteAsync(uri, cancellationToken).ConfigureAwait(false);
        var at = first.Offset;
        var filled = 0;
        CoapMessage? last;
        try
        {
            last = await Client.ContinueRangeWithQBlockAsync(request, response, remote, until, (block, _) =>
            {
                // Each block's bytes that fall in the range; blocks come in order, from the first one on.
                var from = Math.Max(at, offset);
                var to = Math.Min(at + block.Length, end);
                if (to > from)
                {
                    block.Span.Slice((int)(from - at), (int)(to - from)).CopyTo(result.AsSpan((int)(from - offset)));
                    filled = (int)(to - offset);
                }

                at += block.Length;
                return ValueTask.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (CoapRepresentationChangedException changed)
        {
            throw ChangedWhileReading(uri, FileOperation.Read, changed);
        }

        if (last is null)
        {
            return null;
        }

        Success(last, FileOperation.Read, uri);
        return filled;
    }

    /// <summary>
    /// Whether the file still has this ETag, for the price of no content: a GET with the ETag option (RFC 7252
    /// §5.10.6.2) that the server answers 2.03 Valid when it matches. A server that ignores the option answers with
    /// the content; the request asks for 16-byte blocks so that costs at most 16 bytes, and its ETag decides.
    /// </summary>
    public async Task<bool> IsCurrentAsync(CoapUri uri, FileETag etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(etag);
        var request = Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(OptionNumber.ETag, etag.Bytes);
        request.Options.Set(new BlockValue(0, false, 0).ToOption(OptionNumber.Block2));
        var response = await SendAsync(request, uri, null, cancellationToken).ConfigureAwait(false);
        var (_, current) = Success(response, FileOperation.Read, uri);
        return response.Code == CoapCode.Valid || etag.Equals(current);
    }

    private static CoapFileException ChangedWhileReading(CoapUri uri, FileOperation operation, CoapRepresentationChangedException? detected = null) =>
        new(CoapCode.PreconditionFailed, operation == FileOperation.List
            ? $"4.12 Precondition Failed: the directory changed on the server while it was being listed (its ETag differs between blocks); list it again [{uri}]"
            : $"4.12 Precondition Failed: the file changed on the server while it was being read; read it again [{uri}]", inner: detected);

    /// <summary>
    /// A GET for the block that holds byte <paramref name="position"/>, at blocks of 2^(exponent+4) bytes; block 0 asks
    /// for Size2 (RFC 7959 §4).
    /// </summary>
    private CoapMessage BlockRequest(long position, int exponent, int? accept)
    {
        var size = 1L << (exponent + 4);
        var number = (int)Math.Min(position / size, BlockValue.MaxNumber);
        var request = Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Set(new BlockValue(number, false, exponent).ToOption(OptionNumber.Block2));
        if (number == 0)
        {
            request.Options.Set(CoapOption.FromUInt(OptionNumber.Size2, 0));
        }

        if (accept is { } format)
        {
            request.Accept = format;
        }

        return request;
    }

    /// <summary>Sends a <see cref="BlockRequest"/> and takes the response apart.</summary>
    private async Task<(CoapMessage Response, FileETag? ETag, BlockValue? Block)> GetBlockAsync(
        CoapMessage request, CoapUri uri, CancellationToken cancellationToken, bool beyondEndIsEmpty = false, FileOperation operation = FileOperation.Read)
    {
        var response = await SendAsync(request, uri, null, cancellationToken).ConfigureAwait(false);
        if (beyondEndIsEmpty && TryGetBlock(request, out var asked) && asked.Number > 0 && response.Code == CoapCode.BadOption)
        {
            // A block past the end (RFC 7959 leaves the answer open; 4.02 from this engine, 4.00 from libcoap).
            return (CoapMessage.CreateResponse(CoapCode.Content), null, null);
        }

        var (_, etag) = Success(response, operation, uri);
        return (response, etag, TryGetBlock(response, out var block) ? block : null);
    }
}

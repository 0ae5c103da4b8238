using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Services.FileServer.Client;

public sealed partial class CoapFileClient
{
    /// <summary>
    /// Reads a whole file into <paramref name="destination"/> block by block (RFC 7959 §2.4), writing each block as it
    /// arrives, so no more than one block is held in memory. Returns the file's ETag. When the ETag changes between
    /// blocks the file was replaced mid-read: the read stops with 4.12 rather than mixing two versions.
    /// </summary>
    public async Task<FileETag?> ReadAsync(CoapUri uri, Stream destination, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long done = 0;
        long? total = null;
        FileETag? etag = null;
        var exponent = BlockValue.ExponentFor(Client.Options.BlockSize);
        while (true)
        {
            var (response, tag, block) = await GetBlockAsync(uri, done, exponent, cancellationToken).ConfigureAwait(false);
            if (done == 0)
            {
                etag = tag;
                total = response.Options.GetUInt(OptionNumber.Size2);
            }
            else if (!Equals(etag, tag))
            {
                throw ChangedWhileReading(uri);
            }

            await destination.WriteAsync(response.Payload, cancellationToken).ConfigureAwait(false);
            done += response.Payload.Length;
            if (block is not { More: true } next)
            {
                progress?.Report(new TransferProgress(done, total ?? done));
                return etag;
            }

            progress?.Report(new TransferProgress(done, total));
            exponent = next.SizeExponent;
        }
    }

    /// <summary>
    /// Reads at most <paramref name="count"/> bytes from <paramref name="offset"/> with Block2 random access
    /// (RFC 7959 §2.4): only the blocks covering the range are asked for. Fewer bytes come back at the end of the
    /// file, none beyond it. A range spanning blocks of two versions of the file (the ETag changed) is 4.12.
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
            var (response, tag, block) = await GetBlockAsync(uri, position, exponent, cancellationToken, beyondEndIsEmpty: true).ConfigureAwait(false);
            var start = block?.Offset ?? 0;
            var payload = response.Payload.Span;
            if (position < start || position >= start + payload.Length)
            {
                break;
            }

            if (filled > 0 && !Equals(etag, tag))
            {
                throw ChangedWhileReading(uri);
            }

            etag = tag;

            var take = (int)Math.Min(count - filled, start + payload.Length - position);
            payload.Slice((int)(position - start), take).CopyTo(result.AsSpan(filled));
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

    private static CoapFileException ChangedWhileReading(CoapUri uri) =>
        new(CoapCode.PreconditionFailed, $"4.12 Precondition Failed: the file changed on the server while it was being read; read it again [{uri}]");

    /// <summary>GETs the block that holds byte <paramref name="position"/>, at blocks of 2^(exponent+4) bytes.</summary>
    private async Task<(CoapMessage Response, FileETag? ETag, BlockValue? Block)> GetBlockAsync(
        CoapUri uri, long position, int exponent, CancellationToken cancellationToken, bool beyondEndIsEmpty = false)
    {
        var size = 1L << (exponent + 4);
        var number = (int)Math.Min(position / size, BlockValue.MaxNumber);
        var request = Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Set(new BlockValue(number, false, exponent).ToOption(OptionNumber.Block2));
        var response = await SendAsync(request, uri, null, cancellationToken).ConfigureAwait(false);
        if (beyondEndIsEmpty && number > 0 && response.Code == CoapCode.BadOption)
        {
            // A block past the end (RFC 7959 leaves the answer open; 4.02 from this engine, 4.00 from libcoap).
            return (CoapMessage.CreateResponse(CoapCode.Content), null, null);
        }

        var (_, etag) = Success(response, FileOperation.Read, uri);
        return (response, etag, TryGetBlock(response, out var block) ? block : null);
    }
}

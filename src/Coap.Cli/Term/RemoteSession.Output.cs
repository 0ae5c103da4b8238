using Coap.Engine.Protocol;

namespace Coap.Cli.Term;

/// <summary>Following the output: observe it, hand on each byte once and in order, FETCH what a notification skipped.</summary>
internal sealed partial class RemoteSession
{
    /// <summary>
    /// Observes the output from <paramref name="from"/> on and passes every new byte to <paramref name="write"/>; returns
    /// the program's exit status when it ends, or null when the session was removed without one (hung up).
    /// </summary>
    public async Task<int?> FollowOutputAsync(long from, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        var printed = from;
        var request = _client.NewRequest(CoapCode.Get, default, null);
        Address(request, _output);
        await foreach (var notification in _client.ObserveAsync(request, _remote, cancellationToken).ConfigureAwait(false))
        {
            if (notification.Code == CoapCode.NotFound)
            {
                return null;
            }

            if (!notification.Code.IsSuccess || OutputChunk.Decode(notification.Payload) is not { } chunk)
            {
                throw new RemoteSessionException(notification);
            }

            // A FETCH answer holds at most 64 KiB: fetch until the notification's offset is reached.
            while (printed < chunk.Offset)
            {
                var fetched = await CatchUpAsync(printed, write, cancellationToken).ConfigureAwait(false);
                if (fetched.Bytes.Length == 0)
                {
                    break;
                }

                if (await DeliverAsync(fetched).ConfigureAwait(false) is { } ended)
                {
                    return ended;
                }
            }

            if (await DeliverAsync(chunk).ConfigureAwait(false) is { } exit)
            {
                return exit;
            }
        }

        return null;

        // Writes what is new in a chunk (a chunk past what was printed follows a "lost" notice); returns its exit status.
        async ValueTask<int?> DeliverAsync(OutputChunk chunk)
        {
            var skip = Math.Max(0, printed - chunk.Offset);
            if (skip < chunk.Bytes.Length)
            {
                await write(chunk.Bytes.AsMemory((int)skip), cancellationToken).ConfigureAwait(false);
                printed = chunk.Offset + chunk.Bytes.Length;
            }

            return chunk.Exit;
        }
    }

    /// <summary>FETCHes the output from <paramref name="offset"/>; if that has been overwritten, says so and takes the oldest held.</summary>
    private async Task<OutputChunk> CatchUpAsync(long offset, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        var response = await SendAsync(CoapCode.Fetch, _output, OutputChunk.OffsetBody(offset), ContentFormat.Cbor, cancellationToken).ConfigureAwait(false);
        if (response.Code == CoapCode.NotFound && OutputChunk.ReadOffset(response.Payload) is { } oldest && oldest > offset)
        {
            await write(LostNotice(oldest - offset), cancellationToken).ConfigureAwait(false);
            response = await SendAsync(CoapCode.Fetch, _output, OutputChunk.OffsetBody(oldest), ContentFormat.Cbor, cancellationToken).ConfigureAwait(false);
        }

        return response.Code == CoapCode.Content && OutputChunk.Decode(response.Payload) is { } chunk ? chunk : throw new RemoteSessionException(response);
    }

    private static byte[] LostNotice(long count) =>
        System.Text.Encoding.UTF8.GetBytes($"\r\n[coap: {count} bytes of output were overwritten before they could be fetched]\r\n");
}

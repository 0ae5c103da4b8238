using System.Net;
using System.Threading.Channels;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;

namespace Coap.Engine.Blockwise;

/// <summary>
/// What a Q-Block transfer's side (<see cref="QBlockDownload"/>, <see cref="QBlockUpload"/>) shares: one stream of
/// requests with one token, driven by the responses that come and by its deadlines. Each turn takes the response that
/// arrived (if any), lets the transfer judge what is lost by now, and sends what its window allows. Not thread-safe:
/// one transfer, one flow.
/// </summary>
internal abstract class QBlockTransfer(CoapEndpoint endpoint, TimeProvider time)
{
    protected TimeProvider Time { get; } = time;

    /// <summary>Whether the server answered with Q-Block at all (after that, a failure is no reason to fall back).</summary>
    protected bool Served { get; set; }

    /// <summary>
    /// Sends <paramref name="first"/> (the CON probe) and drives the transfer until it is done. Null when the server
    /// does not support Q-Block (the stream closed with a failure before any Q-Block answer: an RST or an
    /// unacknowledged CON). A 4.01 with an Echo in answer to the probe is answered as every other request of the client
    /// answers it (<see cref="EchoRetry"/>, RFC 9175 §2.3): the probe goes once more with the Echo, and Q-Block goes on.
    /// </summary>
    protected async Task<CoapMessage?> RunAsync(CoapMessage first, IPEndPoint remote, CancellationToken cancellationToken)
    {
        try
        {
            return await TurnsAsync(first, remote, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The turns ran on the receive thread; the caller continues on the thread pool, as after any request.
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
    }

    private async Task<CoapMessage?> TurnsAsync(CoapMessage first, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var probe = first;
        // Inline: a turn is short, so it runs on the thread that delivers the response (no hop to the thread pool),
        // and on the receive thread the requests it sends go out with that thread's batch.
        var exchange = endpoint.OpenStream(first, remote, inline: true);
        var stream = exchange.Notifications!;
        using var wake = new QBlockWake(stream.Writer, Time, cancellationToken);
        try
        {
            endpoint.Transmit(exchange, first);
            Started();
            var reader = stream.Reader;
            while (true)
            {
                if (!reader.TryRead(out var response))
                {
                    wake.Arm(NextDeadline());
                    try
                    {
                        if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                        {
                            throw new ChannelClosedException();
                        }
                    }
                    catch (CoapException) when (!Served)
                    {
                        // The stream failed (an RST, or the CON probe unacknowledged) before any Q-Block answer.
                        return null;
                    }

                    reader.TryRead(out response);
                }

                while (ReferenceEquals(response, QBlockWake.Tick))
                {
                    // A deadline passed (or the transfer was cancelled). A response that came after the tick is taken
                    // first, as it would have been had the tick not been there; with none, the deadlines are judged.
                    cancellationToken.ThrowIfCancellationRequested();
                    reader.TryRead(out response);
                }

                if (response is not null && !Served && EchoRetry.Repeat(probe, response) is { } again)
                {
                    probe = again;
                    ProbeRepeated();
                    endpoint.Transmit(exchange, again);
                    continue;
                }

                if (response is not null && await TakeAsync(response, cancellationToken).ConfigureAwait(false) is (true, var result))
                {
                    return result;
                }

                Expire();
                using (SendBatch.Open())
                {
                    while (Next() is { } request)
                    {
                        endpoint.Transmit(exchange, request);
                    }
                }
            }
        }
        finally
        {
            endpoint.CloseStream(exchange);
        }
    }

    /// <summary>The first request went out.</summary>
    protected abstract void Started();

    /// <summary>The probe was challenged (4.01 with an Echo) and goes again now, with the Echo.</summary>
    protected abstract void ProbeRepeated();

    /// <summary>Handles one response; Done with the result when the transfer is over (a null result: fall back).</summary>
    protected abstract ValueTask<(bool Done, CoapMessage? Result)> TakeAsync(CoapMessage response, CancellationToken cancellationToken);

    /// <summary>Judges what is lost by now; throws <see cref="CoapTimeoutException"/> when the peer fell silent for good.</summary>
    protected abstract void Expire();

    /// <summary>The next request to send now, or null.</summary>
    protected abstract CoapMessage? Next();

    /// <summary>How long to wait for a response before <see cref="Expire"/> has something to judge.</summary>
    protected abstract TimeSpan NextDeadline();

    /// <summary>At least a millisecond: a wait that ran out is judged at once.</summary>
    protected static TimeSpan AtLeastOneMillisecond(TimeSpan wait) => wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
}

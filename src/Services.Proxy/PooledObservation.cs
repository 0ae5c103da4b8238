using System.Net.Sockets;
using Coap.Engine.Client;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;

namespace Services.Proxy;

/// <summary>
/// One upstream observation shared by every client observing the same cache key (RFC 7641 §5): the proxy's own
/// registration upstream, the latest notification (what a later observer gets at once), and the clients as the
/// engine's <see cref="ResourceObservers"/>, which give each its own token, type and monotonic Observe numbers.
/// </summary>
internal sealed class PooledObservation
{
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource<CoapMessage> _next = NewNext();
    private CoapMessage? _latest;
    private int _started;
    private int _ended;
    private int _renewing;

    public PooledObservation(string key, string uri)
    {
        Key = key;
        Uri = uri;
    }

    public string Key { get; }

    public string Uri { get; }

    public ResourceObservers Observers { get; } = new();

    /// <summary>How a new observer has the upstream observation re-registered (same token) for a fresh value.</summary>
    public ObservationRenewal Renewal { get; } = new();

    /// <summary>Whether the upstream observation is over (cancelled, ended by the upstream, failed).</summary>
    public bool Ended => Volatile.Read(ref _ended) != 0;

    /// <summary>Sweeps in a row that found no observer; only the pool's sweep touches it.</summary>
    public int IdleSweeps { get; set; }

    /// <summary>True for the one caller that should start the upstream observation.</summary>
    public bool TryStart() => Interlocked.Exchange(ref _started, 1) == 0;

    /// <summary>The first upstream answer once it came, then always the latest notification (or the error that ended it).</summary>
    public Task<CoapMessage> LatestAsync() => Volatile.Read(ref _latest) is { } latest ? Task.FromResult(latest) : Volatile.Read(ref _next).Task;

    /// <summary>
    /// The upstream's answer to a re-registration asked for now (RFC 7641 §5: a new observer never starts from a
    /// stale value), or whatever the upstream publishes next.
    /// </summary>
    public Task<CoapMessage> RenewAsync()
    {
        var next = Volatile.Read(ref _next).Task;
        Volatile.Write(ref _renewing, 1);
        Renewal.Request();
        return next;
    }

    /// <summary>
    /// Reads the upstream notifications until the observation ends: each becomes the latest and is fanned out. An
    /// upstream error, or the end of the stream, or a failure, is published as the last one: the engine ends every
    /// client's observation with it (RFC 7641 §3.2).
    /// </summary>
    public async Task RunAsync(IAsyncEnumerable<CoapMessage> notifications)
    {
        CoapMessage? last = null;
        try
        {
            await foreach (var notification in notifications.WithCancellation(_stop.Token).ConfigureAwait(false))
            {
                if (UpstreamMessages.UnknownUnsafe(notification) is var unknown and >= 0)
                {
                    last = Errors.Diagnostic(CoapCode.BadGateway, $"upstream answered with unknown unsafe option {unknown}");
                    Publish(last);
                    return;
                }

                last = notification;
                Publish(UpstreamMessages.Response(notification));
            }

            if (last is null || last.Code.IsSuccess)
            {
                Publish(Errors.Diagnostic(CoapCode.BadGateway, "the upstream ended the observation"));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The last observer left: the enumeration's end deregistered upstream (RFC 7641 §3.6).
        }
        catch (CoapTimeoutException)
        {
            Publish(Errors.Diagnostic(CoapCode.GatewayTimeout, "the upstream did not answer"));
        }
        catch (Exception error) when (error is CoapException or SocketException)
        {
            Publish(Errors.Diagnostic(CoapCode.BadGateway, error.Message));
        }
        finally
        {
            Volatile.Write(ref _ended, 1);
        }
    }

    /// <summary>Stops the upstream observation (the last client left).</summary>
    public void Stop()
    {
        Volatile.Write(ref _ended, 1);
        _stop.Cancel();
    }

    /// <summary>
    /// Makes a message the latest and fans it out. Only the answer to a re-registration a new observer asked for (the
    /// next message after <see cref="RenewAsync"/>) that says what the latest said already is not sent to the
    /// observers again: they hold it. Any other notification goes out even when it repeats the latest, since that is
    /// how the upstream says the value is still fresh (RFC 7641 §4.3.1: a new Max-Age).
    /// </summary>
    private void Publish(CoapMessage message)
    {
        var echo = Interlocked.Exchange(ref _renewing, 0) != 0;
        var previous = Interlocked.Exchange(ref _latest, message);
        Interlocked.Exchange(ref _next, NewNext()).TrySetResult(message);
        if (previous is not null && !(echo && Same(previous, message)))
        {
            Observers.NotifyChanged();
        }
    }

    private static bool Same(CoapMessage a, CoapMessage b)
    {
        if (a.Code != b.Code || !a.Payload.Span.SequenceEqual(b.Payload.Span) || a.Options.Count != b.Options.Count)
        {
            return false;
        }

        using var left = a.Options.GetEnumerator();
        using var right = b.Options.GetEnumerator();
        while (left.MoveNext() && right.MoveNext())
        {
            if (left.Current.Number != right.Current.Number || !left.Current.Value.Span.SequenceEqual(right.Current.Value.Span))
            {
                return false;
            }
        }

        return true;
    }

    private static TaskCompletionSource<CoapMessage> NewNext() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

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
    private readonly TaskCompletionSource<CoapMessage> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private CoapMessage? _latest;
    private int _started;
    private int _ended;

    public PooledObservation(string key, string uri)
    {
        Key = key;
        Uri = uri;
    }

    public string Key { get; }

    public string Uri { get; }

    public ResourceObservers Observers { get; } = new();

    /// <summary>Whether the upstream observation is over (cancelled, ended by the upstream, failed).</summary>
    public bool Ended => Volatile.Read(ref _ended) != 0;

    /// <summary>Sweeps in a row that found no observer; only the pool's sweep touches it.</summary>
    public int IdleSweeps { get; set; }

    /// <summary>True for the one caller that should start the upstream observation.</summary>
    public bool TryStart() => Interlocked.Exchange(ref _started, 1) == 0;

    /// <summary>The first upstream answer once it came, then always the latest notification (or the error that ended it).</summary>
    public Task<CoapMessage> LatestAsync() => Volatile.Read(ref _latest) is { } latest ? Task.FromResult(latest) : _first.Task;

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

    private void Publish(CoapMessage message)
    {
        Volatile.Write(ref _latest, message);
        if (!_first.TrySetResult(message))
        {
            Observers.NotifyChanged();
        }
    }
}

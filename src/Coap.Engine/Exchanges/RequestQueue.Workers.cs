using System.Diagnostics;

namespace Coap.Engine.Exchanges;

/// <summary>
/// The workers, and how they share the sockets with the receive thread without waking it for every datagram. A
/// worker that runs out of requests first takes the datagrams already waiting in the sockets itself (decode,
/// deduplicate, queue, as the receive thread would) and goes on; only when none is waiting does it sleep. Meanwhile
/// the receive thread, once its socket is empty, waits in <see cref="LetWorkersCatchUp"/> rather than in the socket, as
/// long as a worker is awake to look there: so under load datagrams are taken in batches by a thread already running,
/// with no wake-up per datagram, which on one core costs more than the whole request. When a worker goes to sleep and
/// every other one sleeps or is in a handler, or no worker has taken anything for <see cref="CatchUpLimit"/> (all of
/// them busy in handlers), the receive thread goes back to its socket: a handler never holds up receiving for longer
/// than that. At most one sleeping worker
/// is being woken at a time, and a worker that takes a request wakes the next one only if more peers are waiting.
/// </summary>
internal sealed partial class RequestQueue
{
    /// <summary>The longest the receive thread leaves its socket to the workers without seeing them take a datagram.</summary>
    internal static readonly TimeSpan CatchUpLimit = TimeSpan.FromMilliseconds(1);

    /// <summary>Datagrams a worker takes from the sockets at a time.</summary>
    private const int ReceiveBatch = 32;

    /// <summary>
    /// How long a worker out of requests keeps looking into the sockets before it sleeps: a client that answers within
    /// this time (a load generator, a block-wise transfer) finds a worker running, which saves the two threads' wake-ups.
    /// </summary>
    private static readonly long IdleLookTicks = Stopwatch.Frequency / 20_000;

    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim _caughtUp = new();
    private bool _started;
    private int _sleeping;
    private bool _waking;
    private int _catchUpWaiters;
    private long _received;

    /// <summary>
    /// Called by a receive thread that found its socket empty: while a worker is awake (and so will look into the
    /// sockets when it runs out of requests), wait for the workers instead of blocking in the socket, until they all
    /// sleep or none took a datagram for <see cref="CatchUpLimit"/>.
    /// </summary>
    public void LetWorkersCatchUp()
    {
        while (true)
        {
            long received;
            lock (_gate)
            {
                if (_stopping || !_started || (_sleeping == _workers.Length && !_waking))
                {
                    return;
                }

                _catchUpWaiters++;
                _caughtUp.Reset();
                received = _received;
            }

            var caughtUp = _caughtUp.Wait(CatchUpLimit);
            lock (_gate)
            {
                _catchUpWaiters--;
                if (caughtUp || _received == received)
                {
                    return;
                }
            }
        }
    }

    private void Start()
    {
        _started = true;
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"coap-worker {i + 1}" };
            _workers[i].Start();
        }
    }

    private void Work()
    {
        PeerRequests? done = null;
        while (true)
        {
            PeerRequests? requests = null;
            QueuedRequest item = default;
            lock (_gate)
            {
                if (done is not null)
                {
                    Finish(done);
                    done = null;
                }

                if (_stopping)
                {
                    return;
                }

                if (_first is not null)
                {
                    requests = Take(out item);
                }
            }

            if (requests is null)
            {
                var received = LookForDatagrams();
                lock (_gate)
                {
                    _received += received;
                    if (received > 0)
                    {
                        continue;
                    }

                    while (_first is null && !_stopping)
                    {
                        Sleep();
                    }

                    if (_stopping)
                    {
                        return;
                    }

                    requests = Take(out item);
                }
            }

            try
            {
                _handle(requests.Peer, item.Request, item.Arrived);
            }
            catch (Exception error)
            {
                _failed(error);
            }

            done = requests;
        }
    }

    /// <summary>Takes the datagrams waiting in the sockets, looking again for <see cref="IdleLookTicks"/> while there are none.</summary>
    private int LookForDatagrams()
    {
        var until = Stopwatch.GetTimestamp() + IdleLookTicks;
        while (true)
        {
            var received = TakeWaitingDatagrams();
            if (received > 0 || Stopwatch.GetTimestamp() >= until || Volatile.Read(ref _stopping))
            {
                return received;
            }

            Thread.SpinWait(20);
        }
    }

    private int TakeWaitingDatagrams()
    {
        try
        {
            return _receivePending(ReceiveBatch);
        }
        catch (Exception error)
        {
            _failed(error);
            return 0;
        }
    }

    /// <summary>
    /// Waits for a request. A worker that goes to sleep while every other one sleeps or is in a handler hands the
    /// sockets back to the receive thread: nobody is left to look into them. The caller holds the lock.
    /// </summary>
    private void Sleep()
    {
        _sleeping++;
        if (_catchUpWaiters > 0 && _sleeping + _running == _workers.Length)
        {
            _caughtUp.Set();
        }

        Monitor.Wait(_gate);
        _sleeping--;
        _waking = false;
    }

    /// <summary>Wakes a sleeping worker unless one is already being woken; the caller holds the lock.</summary>
    private void WakeOne()
    {
        if (_sleeping > 0 && !_waking)
        {
            _waking = true;
            Monitor.Pulse(_gate);
        }
    }
}

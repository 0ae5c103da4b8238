using System.Diagnostics;
using Coap.Engine.Transport;

namespace Coap.Engine.Exchanges;

/// <summary>
/// The workers, and how they share the sockets with the receive thread without waking it for every datagram. A
/// worker that runs out of requests first takes the datagrams already waiting in the sockets itself (decode,
/// deduplicate, queue, as the receive thread would); only when none is waiting does it sleep. Meanwhile the receive
/// thread, once its socket is empty, waits in <see cref="LetWorkersCatchUp"/> rather than in the socket, as long as a
/// worker is awake to look there: so under load datagrams are taken in batches by a thread already running, with no
/// wake-up per datagram, which on one core costs more than the whole request. When a worker goes to sleep and every
/// other one sleeps or is in a handler, or no worker has taken anything for
/// <see cref="CatchUpLimit"/>, the receive thread goes back to its socket: a handler never holds up receiving for
/// longer than that. At most one sleeping worker is being woken at a time, and only while fewer workers than
/// processors are awake: quick handlers keep as many workers busy as there are cores, no more (more would only take
/// turns on them). A worker that the kernel reports asleep in a handler (an fsync, a lock) does not count: the receive
/// thread, finding no progress, wakes a spare one for the requests still waiting (<see cref="WakeSpareIfBlocked"/>).
/// </summary>
internal sealed partial class RequestQueue
{
    /// <summary>The longest the receive thread leaves its socket to the workers without seeing them take a datagram.</summary>
    internal static readonly TimeSpan CatchUpLimit = TimeSpan.FromMilliseconds(1);

    /// <summary>Datagrams a worker takes from the sockets at a time.</summary>
    private const int ReceiveBatch = 32;

    /// <summary>A worker in one handler for longer than this (200 µs) is asked whether it sleeps in the kernel.</summary>
    private static readonly long LongHandlerTicks = Stopwatch.Frequency / 5_000;

    private readonly Thread[] _workers;
    private readonly long[] _handlerSince;
    private readonly string?[] _statPaths;
    private readonly int _processors = Environment.ProcessorCount;
    private readonly ManualResetEventSlim _caughtUp = new();
    private bool _started;
    private int _sleeping;
    private bool _waking;
    private int _blocked;
    private int _catchUpWaiters;
    private long _received;

    /// <summary>
    /// Called by a receive thread that found its socket empty: while a worker is awake (and so will look into the
    /// sockets when it runs out of requests), wait for the workers instead of blocking in the socket, until they all
    /// sleep or none took a datagram for <see cref="CatchUpLimit"/>; in that case look for workers blocked in handlers
    /// and wake a spare one. True while requests are still waiting afterwards: the receive thread then calls again
    /// about every millisecond, so that requests queued behind blocked workers are not forgotten while no datagram
    /// arrives.
    /// </summary>
    public bool LetWorkersCatchUp()
    {
        while (true)
        {
            long received;
            lock (_gate)
            {
                if (_stopping || !_started)
                {
                    return false;
                }

                if (_sleeping == _workers.Length && !_waking)
                {
                    return _first is not null;
                }

                _catchUpWaiters++;
                _caughtUp.Reset();
                received = _received;
            }

            var caughtUp = _caughtUp.Wait(CatchUpLimit);
            bool stalled;
            lock (_gate)
            {
                _catchUpWaiters--;
                stalled = !caughtUp && _received == received;
                if (caughtUp)
                {
                    return _first is not null;
                }
            }

            if (stalled)
            {
                WakeSpareIfBlocked();
                lock (_gate)
                {
                    return _first is not null;
                }
            }
        }
    }

    private void Start()
    {
        _started = true;
        for (var i = 0; i < _workers.Length; i++)
        {
            var index = i;
            _workers[i] = new Thread(() => Work(index)) { IsBackground = true, Name = $"coap-worker {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>
    /// Requests a worker handles in a row, while more are waiting, before what their handlers sent goes out; the batch
    /// also goes when no request is waiting (before the worker looks into the sockets or sleeps) and before a handler
    /// blocks in a flush to disk (<see cref="Hosting.DirectorySync"/>).
    /// </summary>
    private const int SendRun = 16;

    private void Work(int index)
    {
        _statPaths[index] = BlockedThreads.StatPathOfCurrentThread();
        PeerRequests? done = null;

        // What the handlers of a run of waiting requests send goes out together (sendmmsg): under load a peer, such as
        // the device behind the proxy, wakes once for several datagrams, and a Q-Block2 burst is one system call.
        var batch = SendBatch.Open();
        var handled = 0;
        while (true)
        {
            PeerRequests? requests = null;
            QueuedRequest item = default;
            lock (_gate)
            {
                if (done is not null)
                {
                    Finish(index, done);
                    done = null;
                }

                if (_stopping)
                {
                    batch.Dispose();
                    return;
                }

                if (_first is not null)
                {
                    requests = Take(index, out item);
                }
            }

            if (requests is null)
            {
                batch.Dispose();
                batch = SendBatch.Open();
                handled = 0;
                var received = TakeWaitingDatagrams();
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
                        batch.Dispose();
                        return;
                    }

                    requests = Take(index, out item);
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
            if (++handled == SendRun)
            {
                batch.Dispose();
                batch = SendBatch.Open();
                handled = 0;
            }
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
    /// The receive thread saw no worker take a datagram for <see cref="CatchUpLimit"/>: counts the workers that sleep
    /// in the kernel inside a handler, and wakes a spare worker if that leaves fewer than processors awake to run the
    /// requests still waiting.
    /// </summary>
    private void WakeSpareIfBlocked()
    {
        var now = Stopwatch.GetTimestamp();
        var blocked = 0;
        for (var i = 0; i < _handlerSince.Length; i++)
        {
            var since = Volatile.Read(ref _handlerSince[i]);
            if (since != 0 && now - since > LongHandlerTicks && BlockedThreads.IsSleeping(_statPaths[i]))
            {
                blocked++;
            }
        }

        lock (_gate)
        {
            _blocked = blocked;
            if (_first is not null)
            {
                WakeOne();
            }
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

    /// <summary>
    /// Wakes a sleeping worker, unless one is already being woken or as many workers as processors are awake, not
    /// counting those last found blocked; the caller holds the lock.
    /// </summary>
    private void WakeOne()
    {
        if (_sleeping > 0 && !_waking && _workers.Length - _sleeping - _blocked < _processors)
        {
            _waking = true;
            Monitor.Pulse(_gate);
        }
    }
}

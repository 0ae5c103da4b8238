using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// Requests between the receive thread and the handlers. The receive thread decodes, deduplicates and queues; a fixed
/// set of worker threads runs the handlers. Each peer has its own FIFO (<see cref="PeerRequests"/>); the peers with
/// requests waiting are served round robin, one request per turn, and never two of one peer's requests at once, so a
/// peer that floods, or whose requests block, holds at most one worker and waits its turn behind every other peer.
/// Bounded: at most <c>Coap:MaxQueuedRequests</c> waiting in all and <c>Coap:MaxQueuedRequestsPerPeer</c> per peer;
/// beyond that <see cref="TryEnqueue"/> refuses and the endpoint answers 5.03 at once. One lock guards it all, held for
/// a few field updates; workers are started on the first request and end when the endpoint stops. At most one sleeping
/// worker is being woken at a time, and a worker that takes a request wakes the next one only if more are waiting, so a
/// burst costs one wake-up per worker actually needed, not one per request.
/// </summary>
internal sealed class RequestQueue
{
    private readonly object _gate = new();
    private readonly Action<CoapPeer, CoapMessage, long> _handle;
    private readonly Action<Exception> _failed;
    private readonly int _maxQueued;
    private readonly int _maxPerPeer;
    private readonly Thread[] _workers;
    private PeerRequests? _first;
    private PeerRequests? _last;
    private int _queued;
    private int _running;
    private int _idle;
    private bool _waking;
    private bool _started;
    private bool _stopping;
    private int _drainWaiters;
    private ManualResetEventSlim? _drained;

    /// <param name="handle">Runs one request on a worker (the endpoint's dispatch); it must not throw.</param>
    /// <param name="failed">Reports what escaped <paramref name="handle"/> anyway; the worker goes on.</param>
    public RequestQueue(CoapEndpointOptions options, Action<CoapPeer, CoapMessage, long> handle, Action<Exception> failed)
    {
        _handle = handle;
        _failed = failed;
        _maxQueued = options.MaxQueuedRequests;
        _maxPerPeer = options.MaxQueuedRequestsPerPeer;
        _workers = new Thread[options.RequestWorkers];
    }

    /// <summary>Requests waiting for a worker, all peers together.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queued;
            }
        }
    }

    /// <summary>
    /// Queues a request that arrived at <paramref name="arrived"/> (TimeProvider timestamp); false when the queue or
    /// the peer's share of it is full, or the endpoint is stopping.
    /// </summary>
    public bool TryEnqueue(CoapPeer peer, CoapMessage request, long arrived)
    {
        lock (_gate)
        {
            var requests = peer.Requests ??= new PeerRequests(peer);
            if (_queued >= _maxQueued || requests.Count >= _maxPerPeer || _stopping)
            {
                return false;
            }

            requests.Add(request, arrived);
            _queued++;
            if (!_started)
            {
                Start();
            }

            if (!requests.Scheduled)
            {
                requests.Scheduled = true;
                Append(requests);
                WakeOne();
            }

            return true;
        }
    }

    /// <summary>Workers finish the request in hand and end; requests still waiting are dropped (their clients retransmit).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
            _drained?.Set();
        }
    }

    /// <summary>
    /// Waits until no request is waiting and no worker is in a handler's synchronous part (a handler that returned
    /// a pending task counts as done): what a test delivering datagrams one at a time needs to see the replies. False
    /// when that did not happen within <paramref name="timeout"/>.
    /// </summary>
    internal bool WaitUntilDrained(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            ManualResetEventSlim drained;
            lock (_gate)
            {
                if ((_queued == 0 && _running == 0) || _stopping)
                {
                    return true;
                }

                drained = _drained ??= new ManualResetEventSlim();
                drained.Reset();
                _drainWaiters++;
            }

            var left = deadline - Environment.TickCount64;
            var signalled = left > 0 && drained.Wait(TimeSpan.FromMilliseconds(left));
            lock (_gate)
            {
                _drainWaiters--;
            }

            if (!signalled)
            {
                return false;
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
            PeerRequests requests;
            QueuedRequest item;
            lock (_gate)
            {
                if (done is not null)
                {
                    Finish(done);
                }

                while (_first is null && !_stopping)
                {
                    _idle++;
                    Monitor.Wait(_gate);
                    _idle--;
                    _waking = false;
                }

                if (_stopping)
                {
                    return;
                }

                requests = _first!;
                _first = requests.Next;
                requests.Next = null;
                if (_first is null)
                {
                    _last = null;
                }

                item = requests.Take();
                _queued--;
                _running++;
                if (_first is not null)
                {
                    WakeOne();
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

    /// <summary>
    /// A worker is done with one of the peer's requests: the peer goes to the back of the ready list if it has more;
    /// the caller holds the lock (the same hold in which the worker takes its next request).
    /// </summary>
    private void Finish(PeerRequests requests)
    {
        _running--;
        if (requests.Count > 0)
        {
            Append(requests);
        }
        else
        {
            requests.Scheduled = false;
        }

        if (_drainWaiters > 0 && _queued == 0 && _running == 0)
        {
            _drained!.Set();
        }
    }

    /// <summary>Wakes a sleeping worker unless one is already being woken; the caller holds the lock.</summary>
    private void WakeOne()
    {
        if (_idle > 0 && !_waking)
        {
            _waking = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Puts a peer at the end of the ready list; the caller holds the lock.</summary>
    private void Append(PeerRequests requests)
    {
        if (_last is null)
        {
            _first = requests;
        }
        else
        {
            _last.Next = requests;
        }

        _last = requests;
    }
}

using System.Diagnostics;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// Requests between the receive thread and the handlers. The receive thread decodes, deduplicates and queues; a fixed
/// set of worker threads runs the handlers, and takes waiting datagrams in as well when it runs out of requests
/// (<c>RequestQueue.Workers.cs</c>). Each peer has its own FIFO
/// (<see cref="PeerRequests"/>); the peers with requests waiting are served round robin, one request per turn, and
/// never two of one peer's requests at once, so a peer that floods, or whose requests block, holds at most one worker
/// and waits its turn behind every other peer. Bounded: at most <c>Coap:MaxQueuedRequests</c> waiting in all and
/// <c>Coap:MaxQueuedRequestsPerPeer</c> per peer; beyond that <see cref="TryEnqueue"/> refuses and the endpoint answers
/// 5.03 at once. One lock guards it all, held for a few field updates.
/// </summary>
internal sealed partial class RequestQueue
{
    private readonly object _gate = new();
    private readonly Action<CoapPeer, CoapMessage, long> _handle;
    private readonly Func<int, int> _receivePending;
    private readonly Action<Exception> _failed;
    private readonly int _maxQueued;
    private readonly int _maxPerPeer;
    private PeerRequests? _first;
    private PeerRequests? _last;
    private int _queued;
    private int _running;
    private bool _stopping;
    private int _idleWaiters;
    private ManualResetEventSlim? _idle;

    /// <param name="handle">Runs one request on a worker (the endpoint's dispatch); it must not throw.</param>
    /// <param name="receivePending">
    /// Takes datagrams already waiting in the endpoint's sockets, at most the given number, without blocking, and
    /// returns how many (the endpoint's receive path, run on a worker that ran out of requests).
    /// </param>
    /// <param name="failed">Reports what escaped <paramref name="handle"/> anyway; the worker goes on.</param>
    public RequestQueue(CoapEndpointOptions options, Action<CoapPeer, CoapMessage, long> handle, Func<int, int> receivePending, Action<Exception> failed)
    {
        _handle = handle;
        _receivePending = receivePending;
        _failed = failed;
        _maxQueued = options.MaxQueuedRequests;
        _maxPerPeer = options.PerPeerQueueLimit;
        _workers = new Thread[options.RequestWorkers];
        _handlerSince = new long[options.RequestWorkers];
        _statPaths = new string?[options.RequestWorkers];
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

    /// <summary>
    /// Workers finish the request in hand and end; requests still waiting are dropped (their clients retransmit).
    /// Waits at most <paramref name="wait"/> for the workers to end, so that what a handler was writing is done
    /// when the endpoint is gone; false when a handler held its worker longer.
    /// </summary>
    public bool Stop(TimeSpan wait)
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
            _idle?.Set();
            _caughtUp.Set();
            if (!_started)
            {
                return true;
            }
        }

        var deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        foreach (var worker in _workers)
        {
            if (worker != Thread.CurrentThread && !worker.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Waits until no request is waiting and no worker is in a handler's synchronous part (a handler that returned
    /// a pending task counts as done): what a test delivering datagrams one at a time needs to see the replies. False
    /// when that did not happen within <paramref name="timeout"/>.
    /// </summary>
    internal bool WaitUntilIdle(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            ManualResetEventSlim idle;
            lock (_gate)
            {
                if ((_queued == 0 && _running == 0) || _stopping)
                {
                    return true;
                }

                idle = _idle ??= new ManualResetEventSlim();
                idle.Reset();
                _idleWaiters++;
            }

            var left = deadline - Environment.TickCount64;
            var signalled = left > 0 && idle.Wait(TimeSpan.FromMilliseconds(left));
            lock (_gate)
            {
                _idleWaiters--;
            }

            if (!signalled)
            {
                return false;
            }
        }
    }

    /// <summary>Worker <paramref name="worker"/> takes the first ready peer's next request; the caller holds the lock and has seen a ready peer.</summary>
    private PeerRequests Take(int worker, out QueuedRequest item)
    {
        var requests = _first!;
        _first = requests.Next;
        requests.Next = null;
        if (_first is null)
        {
            _last = null;
        }

        item = requests.Take();
        _queued--;
        _running++;
        _handlerSince[worker] = Stopwatch.GetTimestamp();
        if (_first is not null)
        {
            WakeOne();
        }

        return requests;
    }

    /// <summary>
    /// A worker is done with one of the peer's requests: the peer goes to the back of the ready list if it has more;
    /// the caller holds the lock (the same hold in which the worker takes its next request).
    /// </summary>
    private void Finish(int worker, PeerRequests requests)
    {
        _running--;
        _handlerSince[worker] = 0;
        _blocked = 0;
        if (requests.Count > 0)
        {
            Append(requests);
        }
        else
        {
            requests.Scheduled = false;
        }

        if (_idleWaiters > 0 && _queued == 0 && _running == 0)
        {
            _idle!.Set();
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

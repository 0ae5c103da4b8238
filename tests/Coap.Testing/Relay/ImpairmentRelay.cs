using System.Net;
using System.Net.Sockets;

namespace Coap.Testing.Relay;

/// <summary>
/// A UDP relay on loopback standing in for a real link (this kernel has no netem): a client sends to
/// <see cref="EndPoint"/>, the relay forwards to the server from a socket of its own and the server's answers back to
/// the client (the last address it heard from), each direction with its own delay, loss, duplication and reordering
/// (<see cref="ToServer"/>, <see cref="ToClient"/>). Every random choice comes from one generator per direction seeded
/// from the relay's seed, so a failing run can be repeated. Queues are bounded; disposing stops both directions and
/// closes the sockets.
/// </summary>
public sealed class ImpairmentRelay : IAsyncDisposable
{
    private readonly Socket _front;
    private readonly Socket _back;
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Direction _toServer;
    private readonly Direction _toClient;
    private readonly Task[] _loops;
    private readonly object _receivedGate = new();
    private readonly List<(long Count, TaskCompletionSource Reached)> _receivedWaiters = [];
    private long _received;
    private IPEndPoint? _client;

    private ImpairmentRelay(IPEndPoint server, int seed)
    {
        _server = server;
        _front = Bind();
        _back = Bind();
        _toServer = new Direction(new Random(seed), _back, () => _server);
        _toClient = new Direction(new Random(unchecked((seed * 31) + 17)), _front, () => Volatile.Read(ref _client));
        _loops =
        [
            Task.Run(() => ReceiveAsync(_front, _toServer, remember: true)),
            Task.Run(() => ReceiveAsync(_back, _toClient, remember: false)),
            Task.Run(() => _toServer.PumpAsync(_stop.Token)),
            Task.Run(() => _toClient.PumpAsync(_stop.Token)),
        ];
    }

    /// <summary>Where the client sends: the relay's front socket on 127.0.0.1.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_front.LocalEndPoint!;

    /// <summary>The impairments from the client to the server.</summary>
    public ImpairmentOptions ToServer => _toServer.Options;

    /// <summary>The impairments from the server to the client.</summary>
    public ImpairmentOptions ToClient => _toClient.Options;

    /// <summary>Datagrams dropped so far (by <see cref="ImpairmentOptions.Loss"/> or a full queue), both directions.</summary>
    public long Dropped => _toServer.Dropped + _toClient.Dropped;

    /// <summary>Datagrams handed on so far, duplicates included, both directions.</summary>
    public long Forwarded => _toServer.Forwarded + _toClient.Forwarded;

    /// <summary>Datagrams handed on to the server so far, duplicates included.</summary>
    public long ForwardedToServer => _toServer.Forwarded;

    /// <summary>Datagrams taken from either socket and judged (forwarded, queued or dropped) so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Completes once <paramref name="count"/> datagrams have been received and judged, both directions counted.</summary>
    public Task WhenReceivedAsync(long count)
    {
        lock (_receivedGate)
        {
            if (_received >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _receivedWaiters.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Starts a relay to <paramref name="server"/> with the same delay each way and the given loss.</summary>
    public static ImpairmentRelay Start(IPEndPoint server, TimeSpan delayEachWay = default, double loss = 0, int seed = 1)
    {
        var relay = new ImpairmentRelay(server, seed);
        relay.ToServer.Delay = relay.ToClient.Delay = delayEachWay;
        relay.ToServer.Loss = relay.ToClient.Loss = loss;
        return relay;
    }

    /// <summary>The same relay address as a coap:// authority, for URIs.</summary>
    public string Authority => $"{EndPoint.Address}:{EndPoint.Port}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _front.Dispose();
        _back.Dispose();
        _toServer.Wake();
        _toClient.Wake();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 << 20;
        socket.SendBufferSize = 4 << 20;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private async Task ReceiveAsync(Socket socket, Direction direction, bool remember)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // an ICMP port unreachable from an earlier send
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (remember)
            {
                Volatile.Write(ref _client, (IPEndPoint)received.RemoteEndPoint);
            }

            direction.Admit(buffer.AsSpan(0, received.ReceivedBytes).ToArray());
            CountReceived();
        }
    }

    private void CountReceived()
    {
        lock (_receivedGate)
        {
            var count = Interlocked.Increment(ref _received);
            for (var i = _receivedWaiters.Count - 1; i >= 0; i--)
            {
                if (_receivedWaiters[i].Count <= count)
                {
                    _receivedWaiters[i].Reached.TrySetResult();
                    _receivedWaiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>One direction: the impairment decisions and a queue ordered by delivery time.</summary>
    private sealed class Direction(Random random, Socket sender, Func<IPEndPoint?> target)
    {
        private readonly PriorityQueue<byte[], (long Due, long Sequence)> _queue = new();
        private readonly SemaphoreSlim _signal = new(0);
        private long _sequence;
        private long _dropped;
        private long _forwarded;

        public ImpairmentOptions Options { get; } = new();

        public long Dropped => Interlocked.Read(ref _dropped);

        public long Forwarded => Interlocked.Read(ref _forwarded);

        public void Admit(byte[] datagram)
        {
            var now = Environment.TickCount64;
            lock (_queue)
            {
                if (random.NextDouble() < Options.Loss)
                {
                    Interlocked.Increment(ref _dropped);
                    return;
                }

                var due = now + (long)Options.Delay.TotalMilliseconds;
                if (random.NextDouble() < Options.Reordering)
                {
                    due += (long)Options.ReorderDelay.TotalMilliseconds;
                }

                var copies = random.NextDouble() < Options.Duplication ? 2 : 1;
                for (var i = 0; i < copies; i++)
                {
                    if (_queue.Count >= Options.MaxQueued)
                    {
                        Interlocked.Increment(ref _dropped);
                        return;
                    }

                    _queue.Enqueue(datagram, (due, _sequence++));
                }
            }

            Wake();
        }

        public void Wake()
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }

        public async Task PumpAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                byte[]? next = null;
                long wait;
                lock (_queue)
                {
                    if (_queue.TryPeek(out var datagram, out var key))
                    {
                        wait = key.Due - Environment.TickCount64;
                        if (wait <= 0)
                        {
                            _queue.Dequeue();
                            next = datagram;
                        }
                    }
                    else
                    {
                        wait = Timeout.Infinite;
                    }
                }

                if (next is not null)
                {
                    Send(next);
                    continue;
                }

                try
                {
                    await _signal.WaitAsync(TimeSpan.FromMilliseconds(wait), stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        private void Send(byte[] datagram)
        {
            if (target() is not { } destination)
            {
                return;
            }

            try
            {
                sender.SendTo(datagram, destination);
                Interlocked.Increment(ref _forwarded);
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _dropped);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}

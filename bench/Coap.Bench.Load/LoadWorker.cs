using System.Diagnostics;
using System.Net.Sockets;

namespace Coap.Bench.Load;

/// <summary>
/// One dedicated thread driving one or more client endpoints until the measurement window ends. With one endpoint it
/// blocks in Receive; with several it waits on all of them with <see cref="Socket.Select"/> (poll) and receives from
/// the ready ones, as coapload does with epoll. Fewer threads mean fewer wake-ups, which the server pays for too.
/// </summary>
internal sealed class LoadWorker
{
    private const int SelectTimeoutMicroseconds = 100_000;

    private readonly LoadOptions _options;
    private readonly int[] _slotCounts;
    private readonly MeasurementWindow _window;
    private readonly long _timeoutCheckTicks = Stopwatch.Frequency / 20;

    public LoadWorker(LoadOptions options, int[] slotCounts, MeasurementWindow window)
    {
        _options = options;
        _slotCounts = slotCounts;
        _window = window;
    }

    public LoadStats Stats { get; } = new();

    public Exception? Failure { get; private set; }

    /// <summary>The thread body.</summary>
    public void Run()
    {
        var endpoints = new List<ClientEndpoint>(_slotCounts.Length);
        try
        {
            var blocking = _slotCounts.Length == 1;
            foreach (var slots in _slotCounts)
            {
                endpoints.Add(new ClientEndpoint(_options, slots, Stats, _window, blocking));
            }

            var now = Stopwatch.GetTimestamp();
            foreach (var endpoint in endpoints)
            {
                endpoint.Start(now);
            }

            if (blocking)
            {
                RunBlocking(endpoints[0]);
            }
            else
            {
                RunMultiplexed(endpoints);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Failure = e;
        }
        finally
        {
            foreach (var endpoint in endpoints)
            {
                endpoint.Dispose();
            }
        }
    }

    private void RunBlocking(ClientEndpoint endpoint)
    {
        var nextTimeoutCheck = Stopwatch.GetTimestamp() + _timeoutCheckTicks;
        while (true)
        {
            endpoint.ReceiveOne();
            var now = Stopwatch.GetTimestamp();
            if (now >= _window.End)
            {
                return;
            }

            if (now >= nextTimeoutCheck)
            {
                endpoint.CheckTimeouts(now);
                nextTimeoutCheck = now + _timeoutCheckTicks;
            }
        }
    }

    private void RunMultiplexed(List<ClientEndpoint> endpoints)
    {
        // Select filters the list in place down to the readable sockets; it is refilled each round (no allocation).
        var readable = new List<Socket>(endpoints.Count);
        var nextTimeoutCheck = Stopwatch.GetTimestamp() + _timeoutCheckTicks;
        while (true)
        {
            readable.Clear();
            foreach (var endpoint in endpoints)
            {
                readable.Add(endpoint.Socket);
            }

            Socket.Select(readable, null, null, SelectTimeoutMicroseconds);
            foreach (var socket in readable)
            {
                foreach (var endpoint in endpoints)
                {
                    if (ReferenceEquals(endpoint.Socket, socket))
                    {
                        endpoint.ReceiveOne();
                        break;
                    }
                }
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= _window.End)
            {
                return;
            }

            if (now >= nextTimeoutCheck)
            {
                foreach (var endpoint in endpoints)
                {
                    endpoint.CheckTimeouts(now);
                }

                nextTimeoutCheck = now + _timeoutCheckTicks;
            }
        }
    }
}

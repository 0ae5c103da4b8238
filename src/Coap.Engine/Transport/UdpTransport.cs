using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Coap.Engine.Transport;

/// <summary>
/// One UDP socket with a dedicated receive thread that uses blocking, allocation-free
/// <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/> calls; after each datagram it takes the
/// others already waiting without blocking, and tells the receiver once none is left, before it blocks again. Other
/// threads (request workers) may take waiting datagrams too (<see cref="ReceivePending"/>), each into a buffer of its
/// own. On 64-bit Linux the waiting datagrams are taken up to 16 a system call (recvmmsg, <see cref="ReceiveBatch"/>),
/// and what a thread sends while it holds a <see cref="SendBatch"/> scope goes out together (sendmmsg); elsewhere one
/// datagram a call. On Linux the socket also learns of ICMP errors (<see cref="IcmpErrorQueue"/>) and reports
/// unreachable peers to the receiver.
/// </summary>
public sealed class UdpTransport : IDatagramTransport
{
    private const int MaxDatagram = 65535;

    /// <summary>Datagrams the receive thread takes without blocking before it tells the receiver it is idle.</summary>
    private const int Batch = 64;

    /// <summary>How often, in µs, an idle receiver that asked to be told again is told again while no datagram comes.</summary>
    private const int IdleRecheck = 1000;

    [ThreadStatic]
    private static byte[]? t_buffer;

    [ThreadStatic]
    private static ReceiveBatch? t_batch;

    [ThreadStatic]
    private static SocketAddress? t_remote4;

    [ThreadStatic]
    private static SocketAddress? t_remote6;

    private readonly Socket _socket;
    private readonly IcmpErrorQueue? _errors;
    private Thread? _thread;
    private volatile bool _disposed;

    private UdpTransport(Socket socket, bool dualMode)
    {
        _socket = socket;
        DualMode = dualMode;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _errors = IcmpErrorQueue.TryEnable(socket, this);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The socket, for tests that set options on it.</summary>
    internal Socket Socket => _socket;

    public bool DualMode { get; }

    /// <summary>Binds a socket; an IPv6 socket on :: also accepts IPv4 (dual stack).</summary>
    public static UdpTransport Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            var dualMode = endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any);
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = dualMode;
            }

            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 4 * 1024 * 1024;
            socket.Bind(endPoint);
            return new UdpTransport(socket, dualMode);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Start(IDatagramReceiver receiver)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        _errors?.Start(receiver);
        _thread = new Thread(() => ReceiveLoop(receiver))
        {
            IsBackground = true,
            Name = $"coap-udp {LocalEndPoint}",
        };
        _thread.Start();
    }

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (_disposed || (SendBatch.Current is { } batch && batch.TryAdd(this, datagram, remote)))
        {
            return;
        }

        SendNow(datagram, remote);
    }

    /// <summary>
    /// Whether a <see cref="SendBatch"/> may send datagrams of one length for one peer as one segmented message
    /// (UDP_SEGMENT); off for good once the kernel or the route refuses one.
    /// </summary>
    internal bool Segments { get; private set; } = LinuxMessages.Supported;

    /// <summary>
    /// Sends the messages of a <see cref="SendBatch"/> by sendmmsg(2); from the first that the call did not send, its
    /// datagrams one by one as <see cref="Send"/> would (an ICMP error for an earlier datagram fails one of them), then
    /// the rest together again. A segmented message the kernel refuses as such turns <see cref="Segments"/> off.
    /// </summary>
    internal unsafe void SendMany(LinuxMessages.MessageHeader* messages, int count)
    {
        var next = 0;
        while (next < count && !_disposed)
        {
            int sent;
            try
            {
                sent = LinuxMessages.SendMany(_socket.SafeHandle, messages + next, (uint)(count - next), 0);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            var error = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
            next += Math.Max(sent, 0);
            if (next < count)
            {
                var failed = messages + next;
                if (failed->VectorCount > 1 && LinuxMessages.RefusesSegments(error))
                {
                    Segments = false;
                }

                var remote = AddressOf(failed);
                for (var i = 0; i < (int)failed->VectorCount; i++)
                {
                    SendNow(SegmentedMessages.DatagramOf(failed, i), remote);
                }

                next++;
            }
        }
    }

    private static unsafe SocketAddress AddressOf(LinuxMessages.MessageHeader* header)
    {
        var family = BitConverter.ToUInt16(new ReadOnlySpan<byte>(header->Name, 2)) == 10 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var address = new SocketAddress(family, (int)header->NameLength);
        new ReadOnlySpan<byte>(header->Name, (int)header->NameLength).CopyTo(address.Buffer.Span);
        return address;
    }

    private void SendNow(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
        }
        catch (SocketException) when (_errors is not null)
        {
            // An ICMP error for an earlier datagram, to any peer, fails the next call on the socket once, and this
            // datagram was not sent; the error is consumed now, so it is sent again once.
            _errors.Schedule();
            SendAgain(datagram, remote);
        }
        catch (SocketException)
        {
            // A send to an unreachable peer fails like a lost datagram; retransmission or the peer's retry covers it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Sends once more after an ICMP error consumed the last try; each further ICMP error (several peers' datagrams,
    /// or one peer's several notifications, can have failed) consumes one more try, up to <see cref="SendTries"/>.
    /// </summary>
    private void SendAgain(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        for (var attempt = 1; attempt < SendTries; attempt++)
        {
            try
            {
                _socket.SendTo(datagram, SocketFlags.None, remote);
                return;
            }
            catch (SocketException)
            {
                // Another ICMP error came in between (or it failed for a reason of its own): try again, bounded.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>How many times one datagram is tried when ICMP errors for earlier ones fail the sends.</summary>
    private const int SendTries = 4;

    public int ReceivePending(IDatagramReceiver receiver, int max)
    {
        if (_disposed || !OperatingSystem.IsLinux())
        {
            return 0;
        }

        var remote = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? t_remote6 ??= new SocketAddress(AddressFamily.InterNetworkV6)
            : t_remote4 ??= new SocketAddress(AddressFamily.InterNetwork);
        return LinuxMessages.Supported
            ? ReceiveWaiting(receiver, t_batch ??= new ReceiveBatch(), remote, max)
            : ReceiveWaiting(receiver, t_buffer ??= GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true), remote, max);
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _socket.Dispose();
        if (_thread is not null && _thread != Thread.CurrentThread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        return ValueTask.CompletedTask;
    }

    private void ReceiveLoop(IDatagramReceiver receiver)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        var batch = LinuxMessages.Supported ? new ReceiveBatch() : null;
        var remote = new SocketAddress(_socket.AddressFamily);
        var drained = true;
        while (!_disposed)
        {
            if (drained && !AwaitDatagram(receiver))
            {
                return;
            }

            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, remote);
            }
            catch (SocketException) when (!_disposed)
            {
                // With the error queue on, an ICMP error fails one receive: read what it answered.
                _errors?.Schedule();
                continue;
            }
            catch (Exception) when (_disposed)
            {
                return;
            }

            // What the first datagram's handling sends goes out with the first recvmmsg's (one sendmmsg).
            using (SendBatch.Open())
            {
                Deliver(receiver, buffer.AsSpan(0, length), remote);
                drained = !OperatingSystem.IsLinux()
                    || (batch is null ? ReceiveWaiting(receiver, buffer, remote, Batch) : ReceiveWaiting(receiver, batch, remote, Batch)) < Batch;
            }
        }
    }

    /// <summary>
    /// The socket is empty: tells the receiver, and while it asks to be told again, waits for a datagram in slices of
    /// <see cref="IdleRecheck"/>. False when the transport is being disposed.
    /// </summary>
    private bool AwaitDatagram(IDatagramReceiver receiver)
    {
        while (!_disposed)
        {
            bool again;
            try
            {
                again = receiver.OnReceiveIdle(this);
            }
            catch (Exception error) when (!_disposed)
            {
                receiver.OnTransportError(this, error);
                again = false;
            }

            try
            {
                if (!again || _socket.Poll(IdleRecheck, SelectMode.SelectRead))
                {
                    return !_disposed;
                }
            }
            catch (Exception) when (_disposed)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Takes up to <paramref name="max"/> datagrams that are waiting, without blocking; returns how many.</summary>
    private int ReceiveWaiting(IDatagramReceiver receiver, byte[] buffer, SocketAddress remote, int max)
    {
        var count = 0;
        while (count < max && !_disposed)
        {
            int length;
            try
            {
                length = NonBlockingReceive.TryReceive(_socket, buffer, remote);
            }
            catch (ObjectDisposedException)
            {
                return count;
            }

            if (length == NonBlockingReceive.Failed)
            {
                // With the error queue on, an ICMP error fails one receive: read what it answered.
                _errors?.Schedule();
                break;
            }

            if (length < 0)
            {
                break;
            }

            count++;
            Deliver(receiver, buffer.AsSpan(0, length), remote);
        }

        return count;
    }

    /// <summary>
    /// <see cref="ReceiveWaiting(IDatagramReceiver, byte[], SocketAddress, int)"/> by recvmmsg(2), up to
    /// <see cref="ReceiveBatch.Slots"/> datagrams a call; what the receiver sends meanwhile goes out per call
    /// (<see cref="SendBatch"/>).
    /// </summary>
    private int ReceiveWaiting(IDatagramReceiver receiver, ReceiveBatch batch, SocketAddress remote, int max)
    {
        var count = 0;
        while (count < max && !_disposed)
        {
            var asked = Math.Min(max - count, ReceiveBatch.Slots);
            int received;
            try
            {
                received = batch.Receive(_socket, asked);
            }
            catch (ObjectDisposedException)
            {
                return count;
            }

            if (received == ReceiveBatch.Failed)
            {
                // With the error queue on, an ICMP error fails one receive: read what it answered.
                _errors?.Schedule();
                break;
            }

            using (SendBatch.Open())
            {
                for (var i = 0; i < received; i++)
                {
                    batch.SenderInto(i, remote);
                    Deliver(receiver, batch.Datagram(i), remote);
                }

                // Sent per recvmmsg even inside a caller's scope: nothing waits for the next call's datagrams.
                SendBatch.FlushCurrent();
            }

            count += received;
            if (received < asked)
            {
                break;
            }
        }

        return count;
    }

    private void Deliver(IDatagramReceiver receiver, ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        try
        {
            receiver.OnDatagram(this, datagram, remote);
        }
        catch (Exception error) when (!_disposed)
        {
            receiver.OnTransportError(this, error);
        }
        catch (Exception)
        {
            // The endpoint is stopping: what it was doing with the datagram no longer matters.
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Coap.Engine.Transport;

/// <summary>
/// One UDP socket with a dedicated receive thread that uses blocking, allocation-free
/// <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/> calls. On Linux the socket also learns
/// of ICMP errors (<see cref="IcmpErrorQueue"/>) and reports unreachable peers to the receiver.
/// </summary>
public sealed class UdpTransport : IDatagramTransport
{
    private const int MaxDatagram = 65535;

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
        if (_disposed)
        {
            return;
        }

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

    private void SendAgain(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
        }
        catch (SocketException)
        {
            // Failed for a reason of its own (or another ICMP error came in between): lost like a datagram.
        }
        catch (ObjectDisposedException)
        {
        }
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
        var remote = new SocketAddress(_socket.AddressFamily);
        while (!_disposed)
        {
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

            try
            {
                receiver.OnDatagram(this, buffer.AsSpan(0, length), remote);
            }
            catch (Exception error)
            {
                receiver.OnTransportError(this, error);
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Coap.Engine.Transport;

/// <summary>
/// Linux: the ICMP errors answering datagrams a UDP socket sent (ip(7) IP_RECVERR, ipv6(7) IPV6_RECVERR). Without
/// the option an unconnected UDP socket ignores ICMP, so a peer that went away, or a spoofed source that never was
/// there, goes on receiving notifications until a CON gives up. With it the kernel queues each error together with
/// the destination of the datagram it answers, and fails the socket's next call once (ECONNREFUSED and the like): a
/// receive or a send, whichever comes first. Either one calls <see cref="Schedule"/>; the queue is then read on the
/// thread pool (recvmsg with MSG_ERRQUEUE) and each unreachable destination is reported to the receiver. Nothing
/// here allocates, so a stream of errors costs the receive thread one failed call each.
/// </summary>
internal sealed unsafe partial class IcmpErrorQueue : IThreadPoolWorkItem
{
    private const int SolIp = 0;
    private const int IpRecvErr = 11;
    private const int SolIpv6 = 41;
    private const int Ipv6RecvErr = 25;
    private const int MsgDontWait = 0x40;
    private const int MsgErrQueue = 0x2000;
    private const byte OriginIcmp = 2;
    private const byte OriginIcmp6 = 3;
    private const int EAcces = 13;
    private const int ENetUnreach = 101;
    private const int EConnRefused = 111;
    private const int EHostUnreach = 113;

    /// <summary>sizeof(struct sockaddr_storage).</summary>
    private const int NameSize = 128;

    /// <summary>Room for the one control message (a sock_extended_err and the offender's address), in words.</summary>
    private const int ControlWords = 32;

    /// <summary>Errors read per turn on the thread pool; a longer queue is read in another turn.</summary>
    private const int ErrorsPerTurn = 256;

    private readonly Socket _socket;
    private readonly IDatagramTransport _transport;
    private readonly Lock _gate = new();
    private readonly SocketAddress _destination;
    private IDatagramReceiver? _receiver;
    private int _scheduled;

    private IcmpErrorQueue(Socket socket, IDatagramTransport transport)
    {
        _socket = socket;
        _transport = transport;
        _destination = new SocketAddress(socket.AddressFamily);
    }

    /// <summary>Switches the error queue on; null off Linux or when the socket refuses the option.</summary>
    public static IcmpErrorQueue? TryEnable(Socket socket, IDatagramTransport transport)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        ReadOnlySpan<byte> on = BitConverter.GetBytes(1);
        try
        {
            if (socket.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.SetRawSocketOption(SolIpv6, Ipv6RecvErr, on);
                if (socket.DualMode)
                {
                    // IPv4 peers of a dual-stack socket: their errors are queued only with the IPv4 option set too.
                    socket.SetRawSocketOption(SolIp, IpRecvErr, on);
                }
            }
            else
            {
                socket.SetRawSocketOption(SolIp, IpRecvErr, on);
            }
        }
        catch (SocketException)
        {
            return null;
        }

        return new IcmpErrorQueue(socket, transport);
    }

    public void Start(IDatagramReceiver receiver) => Volatile.Write(ref _receiver, receiver);

    /// <summary>A call on the socket failed, perhaps for an ICMP error: read the queue soon, on the thread pool.</summary>
    public void Schedule()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        Volatile.Write(ref _scheduled, 0);
        var receiver = Volatile.Read(ref _receiver);
        try
        {
            lock (_gate)
            {
                if (Drain(receiver) == ErrorsPerTurn)
                {
                    Schedule();
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The transport closed meanwhile; its errors no longer matter.
        }
        catch (Exception error)
        {
            receiver?.OnTransportError(_transport, error);
        }
    }

    /// <summary>Reads queued errors until the queue is empty or a turn's worth was read; returns how many.</summary>
    private int Drain(IDatagramReceiver? receiver)
    {
        var name = stackalloc byte[NameSize];
        var control = stackalloc nuint[ControlWords];
        for (var read = 0; read < ErrorsPerTurn; read++)
        {
            var message = new MessageHeader
            {
                Name = name,
                NameLength = NameSize,
                Control = control,
                ControlLength = (nuint)(ControlWords * sizeof(nuint)),
            };

            // The datagram that caused the error is not wanted (no buffer: it is truncated away); msg_name holds
            // the address it was sent to. Fails with EAGAIN once the queue is empty.
            if (ReceiveMessage(_socket.SafeHandle, &message, MsgErrQueue | MsgDontWait) < 0)
            {
                return read;
            }

            if (receiver is not null && IsUnreachable(&message) && message.NameLength <= _destination.Buffer.Length)
            {
                new ReadOnlySpan<byte>(name, message.NameLength).CopyTo(_destination.Buffer.Span);
                _destination.Size = message.NameLength;
                receiver.OnUnreachable(_transport, _destination);
            }
        }

        return ErrorsPerTurn;
    }

    /// <summary>
    /// An ICMP or ICMPv6 error saying nothing receives at the destination: port, host or network unreachable, or
    /// administratively prohibited. Not a local error, nor "fragmentation needed" / "packet too big" (EMSGSIZE).
    /// </summary>
    private static bool IsUnreachable(MessageHeader* message)
    {
        var control = (byte*)message->Control;
        var headerSize = Align(sizeof(ControlHeader));
        var offset = 0;
        while (offset + headerSize + sizeof(ExtendedError) <= (int)message->ControlLength)
        {
            var header = (ControlHeader*)(control + offset);
            if ((header->Level == SolIp && header->Type == IpRecvErr) || (header->Level == SolIpv6 && header->Type == Ipv6RecvErr))
            {
                var error = (ExtendedError*)(control + offset + headerSize);
                return error->Origin is OriginIcmp or OriginIcmp6
                    && error->Errno is EConnRefused or EHostUnreach or ENetUnreach or EAcces;
            }

            if (header->Length == 0)
            {
                return false;
            }

            offset += Align((int)header->Length);
        }

        return false;
    }

    /// <summary>CMSG_ALIGN: control messages are aligned to the size of a word.</summary>
    private static int Align(int length) => (length + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1);

    [LibraryImport("libc", EntryPoint = "recvmsg")]
    private static partial nint ReceiveMessage(SafeHandle socket, MessageHeader* message, int flags);

#pragma warning disable CS0649 // The kernel fills these in.

    /// <summary>struct msghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public byte* Name;
        public int NameLength;
        public void* Iov;
        public nuint IovLength;
        public nuint* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct cmsghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ControlHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    /// <summary>struct sock_extended_err.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedError
    {
        public int Errno;
        public byte Origin;
        public byte Type;
        public byte Code;
        public byte Pad;
        public uint Info;
        public uint Data;
    }
#pragma warning restore CS0649
}

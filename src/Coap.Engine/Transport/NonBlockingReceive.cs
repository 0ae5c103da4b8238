using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Coap.Engine.Transport;

/// <summary>
/// recvfrom(2) with MSG_DONTWAIT on a socket that another thread may be blocked on: takes a datagram that is already
/// waiting, or returns at once without one and without the exception .NET's non-blocking receive throws. Linux only.
/// </summary>
internal static partial class NonBlockingReceive
{
    /// <summary>What <see cref="TryReceive"/> returns when the call failed for another reason than an empty queue.</summary>
    public const int Failed = -2;

    private const int DontWait = 0x40;
    private const int WouldBlock = 11;

    /// <summary>
    /// The datagram's length, its sender in <paramref name="remote"/>; -1 when none is waiting, <see cref="Failed"/>
    /// on an error (such as the one an ICMP error leaves on a socket with IP_RECVERR).
    /// </summary>
    public static int TryReceive(Socket socket, Span<byte> buffer, SocketAddress remote)
    {
        var addressLength = (uint)remote.Buffer.Length;
        var length = ReceiveFrom(socket.SafeHandle, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, DontWait,
            ref MemoryMarshal.GetReference(remote.Buffer.Span), ref addressLength);
        if (length < 0)
        {
            return Marshal.GetLastPInvokeError() == WouldBlock ? -1 : Failed;
        }

        remote.Size = (int)addressLength;
        return (int)length;
    }

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    private static partial nint ReceiveFrom(SafeHandle socket, ref byte buffer, nuint length, int flags, ref byte address, ref uint addressLength);
}

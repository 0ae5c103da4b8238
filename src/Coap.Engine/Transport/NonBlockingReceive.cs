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
    private const int DontWait = 0x40;

    /// <summary>The datagram's length, its sender in <paramref name="remote"/>; -1 when none is waiting (or on error).</summary>
    public static int TryReceive(Socket socket, Span<byte> buffer, SocketAddress remote)
    {
        var addressLength = (uint)remote.Buffer.Length;
        var length = ReceiveFrom(socket.SafeHandle, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, DontWait,
            ref MemoryMarshal.GetReference(remote.Buffer.Span), ref addressLength);
        if (length < 0)
        {
            return -1;
        }

        remote.Size = (int)addressLength;
        return (int)length;
    }

    [LibraryImport("libc", EntryPoint = "recvfrom")]
    private static partial nint ReceiveFrom(SafeHandle socket, ref byte buffer, nuint length, int flags, ref byte address, ref uint addressLength);
}

using System.Runtime.InteropServices;

namespace Coap.Engine.Transport;

/// <summary>
/// recvmmsg(2) and sendmmsg(2): several datagrams in one system call, for <see cref="ReceiveBatch"/> and
/// <see cref="SendBatch"/>. The structures are those of 64-bit Linux; <see cref="Supported"/> says whether they apply.
/// </summary>
internal static unsafe partial class LinuxMessages
{
    /// <summary>sizeof(struct sockaddr_storage): room for any address the kernel hands back.</summary>
    public const int AddressRoom = 128;

    public const int DontWait = 0x40;
    public const int Truncated = 0x20;

    private const int WouldBlock = 11;
    private const int Interrupted = 4;

    /// <summary>Whether this process can use the calls (Linux, 64-bit, where the layouts below hold).</summary>
    public static readonly bool Supported = OperatingSystem.IsLinux() && Environment.Is64BitProcess && sizeof(MessageHeader) == 64;

    /// <summary>
    /// Whether a send failed because the socket, the route or the kernel cannot take a segmented message (UDP_SEGMENT):
    /// EIO (no checksum offload on the way out), EINVAL, ENOPROTOOPT or EOPNOTSUPP.
    /// </summary>
    public static bool RefusesSegments(int error) => error is 5 or 22 or 92 or 95;

    /// <summary>Whether the last call failed only because nothing was waiting (or a signal came first).</summary>
    public static bool NothingWaiting(int error) => error is WouldBlock or Interrupted;

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMany(SafeHandle socket, MessageHeader* messages, uint count, int flags, nint timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMany(SafeHandle socket, MessageHeader* messages, uint count, int flags);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct mmsghdr: a struct msghdr (56 bytes) and the byte count the call sets.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    public struct MessageHeader
    {
        [FieldOffset(0)]
        public byte* Name;

        [FieldOffset(8)]
        public uint NameLength;

        [FieldOffset(16)]
        public IoVector* Vectors;

        [FieldOffset(24)]
        public nuint VectorCount;

        [FieldOffset(32)]
        public void* Control;

        [FieldOffset(40)]
        public nuint ControlLength;

        [FieldOffset(48)]
        public int Flags;

        [FieldOffset(56)]
        public uint Length;
    }
}

using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Coap.Engine.Transport;

/// <summary>
/// Room for <see cref="Slots"/> datagrams of any size and their senders, taken from a socket by one recvmmsg(2) call
/// that does not block. One per receiving thread: the room is native memory that the kernel touches only as far as the
/// datagrams reach, so its 1 MiB costs a page or so per slot in use; it is freed with the batch.
/// </summary>
internal sealed unsafe class ReceiveBatch
{
    public const int Slots = 16;

    /// <summary>What <see cref="Receive"/> returns when the call failed for another reason than an empty socket.</summary>
    public const int Failed = -2;

    /// <summary>Larger than any UDP payload (65 507 bytes over IPv4, 65 527 over IPv6): nothing is ever cut.</summary>
    private const int SlotSize = 65536;

    private readonly MessageHeaders _room = new(Slots, (nuint)Slots * SlotSize);
    private readonly LinuxMessages.MessageHeader* _headers;

    public ReceiveBatch()
    {
        _headers = _room.Headers;
        for (var i = 0; i < Slots; i++)
        {
            _room.Vectors[i].Base = _room.Data + ((nint)i * SlotSize);
            _room.Vectors[i].Length = SlotSize;
        }
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> (at most <see cref="Slots"/>) waiting datagrams; how many, 0 when none is
    /// waiting, <see cref="Failed"/> on an error (such as the one an ICMP error leaves on a socket with IP_RECVERR).
    /// </summary>
    public int Receive(Socket socket, int max)
    {
        var count = Math.Min(max, Slots);
        for (var i = 0; i < count; i++)
        {
            _headers[i].NameLength = LinuxMessages.AddressRoom;
            _headers[i].Flags = 0;
        }

        var received = LinuxMessages.ReceiveMany(socket.SafeHandle, _headers, (uint)count, LinuxMessages.DontWait, 0);
        return received >= 0 ? received : LinuxMessages.NothingWaiting(Marshal.GetLastPInvokeError()) ? 0 : Failed;
    }

    /// <summary>The <paramref name="slot"/>th datagram of the last <see cref="Receive"/>.</summary>
    public ReadOnlySpan<byte> Datagram(int slot) => new(_room.Data + ((nint)slot * SlotSize), (int)_headers[slot].Length);

    /// <summary>Copies the sender of the <paramref name="slot"/>th datagram into <paramref name="remote"/>.</summary>
    public void SenderInto(int slot, SocketAddress remote)
    {
        var length = (int)Math.Min(_headers[slot].NameLength, (uint)remote.Buffer.Length);
        new ReadOnlySpan<byte>(_headers[slot].Name, length).CopyTo(remote.Buffer.Span);
        remote.Size = length;
    }
}

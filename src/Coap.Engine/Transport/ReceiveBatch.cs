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

    private readonly LinuxMessages.MessageHeader* _headers;
    private readonly LinuxMessages.IoVector* _vectors;
    private readonly byte* _addresses;
    private readonly byte* _data;

    public ReceiveBatch()
    {
        _headers = (LinuxMessages.MessageHeader*)NativeMemory.AllocZeroed(Slots, (nuint)sizeof(LinuxMessages.MessageHeader));
        _vectors = (LinuxMessages.IoVector*)NativeMemory.Alloc(Slots, (nuint)sizeof(LinuxMessages.IoVector));
        _addresses = (byte*)NativeMemory.Alloc(Slots, LinuxMessages.AddressRoom);
        _data = (byte*)NativeMemory.Alloc(Slots, SlotSize);
        for (var i = 0; i < Slots; i++)
        {
            _vectors[i] = new LinuxMessages.IoVector { Base = _data + ((nint)i * SlotSize), Length = SlotSize };
            _headers[i].Vectors = _vectors + i;
            _headers[i].VectorCount = 1;
            _headers[i].Name = _addresses + (i * LinuxMessages.AddressRoom);
        }
    }

    ~ReceiveBatch()
    {
        NativeMemory.Free(_headers);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_data);
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
    public ReadOnlySpan<byte> Datagram(int slot) => new(_data + ((nint)slot * SlotSize), (int)_headers[slot].Length);

    /// <summary>Copies the sender of the <paramref name="slot"/>th datagram into <paramref name="remote"/>.</summary>
    public void SenderInto(int slot, SocketAddress remote)
    {
        var length = (int)Math.Min(_headers[slot].NameLength, (uint)remote.Buffer.Length);
        new ReadOnlySpan<byte>(_headers[slot].Name, length).CopyTo(remote.Buffer.Span);
        remote.Size = length;
    }
}

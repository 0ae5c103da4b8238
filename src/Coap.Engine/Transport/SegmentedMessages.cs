using System.Runtime.InteropServices;

namespace Coap.Engine.Transport;

/// <summary>
/// A <see cref="SendBatch"/>'s datagrams as the messages of one sendmmsg(2). Datagrams of one length for one address go
/// as one message that the kernel splits back into them (UDP generic segmentation offload, the UDP_SEGMENT control
/// message, as QUIC stacks use it): one pass through the stack for all of them, and on loopback the receiver is woken
/// once and finds them all waiting, instead of being woken (and, on a shared core, switched to) for each. A shorter
/// datagram may end such a message; every other datagram goes as a message of its own. The datagrams for one address
/// keep their order; those for different addresses may leave in another order than they were added.
/// </summary>
internal sealed unsafe class SegmentedMessages
{
    /// <summary>Datagrams in one message: UDP_MAX_SEGMENTS of the kernels that allow the fewest.</summary>
    private const int MaxSegments = 64;

    /// <summary>Bytes in one message: what fits one IP packet, as the kernel builds it before splitting it.</summary>
    private const int MaxBytes = 63 * 1024;

    /// <summary>CMSG_SPACE(sizeof(uint16)) on 64-bit Linux: the control message header (16 bytes) and the size, aligned.</summary>
    private const int ControlRoom = 24;

    private const int ControlLength = 18;
    private const int SolUdp = 17;
    private const int UdpSegment = 103;

    private readonly LinuxMessages.MessageHeader* _headers;
    private readonly LinuxMessages.IoVector* _vectors;
    private readonly byte* _controls;

    /// <param name="capacity">The most datagrams a batch holds.</param>
    public SegmentedMessages(int capacity)
    {
        _headers = (LinuxMessages.MessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(LinuxMessages.MessageHeader));
        _vectors = (LinuxMessages.IoVector*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(LinuxMessages.IoVector));
        _controls = (byte*)NativeMemory.AllocZeroed((nuint)capacity, ControlRoom);
        for (var i = 0; i < capacity; i++)
        {
            var control = _controls + (i * ControlRoom);
            *(nuint*)control = ControlLength;
            *(int*)(control + 8) = SolUdp;
            *(int*)(control + 12) = UdpSegment;
        }
    }

    ~SegmentedMessages()
    {
        NativeMemory.Free(_headers);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_controls);
    }

    /// <summary>The messages <see cref="Build"/> made; each names its datagrams by its vectors (one vector each).</summary>
    public LinuxMessages.MessageHeader* Headers => _headers;

    /// <summary>
    /// Makes the messages for <paramref name="count"/> datagrams (entries of one vector each, at most the capacity)
    /// and returns how many; with <paramref name="segment"/> false, one message per datagram.
    /// The messages point into the entries' addresses and data, which must stay as they are until they are sent.
    /// </summary>
    public int Build(LinuxMessages.MessageHeader* entries, int count, bool segment)
    {
        Span<bool> taken = stackalloc bool[count];
        var messages = 0;
        var vector = 0;
        for (var i = 0; i < count; i++)
        {
            if (taken[i])
            {
                continue;
            }

            var first = entries + i;
            var message = _headers + messages;
            message->Name = first->Name;
            message->NameLength = first->NameLength;
            message->Vectors = _vectors + vector;
            _vectors[vector++] = *first->Vectors;
            var segments = segment ? Gather(entries, count, i, taken, ref vector) : 1;
            message->VectorCount = (nuint)segments;
            message->Control = segments > 1 ? _controls + (messages * ControlRoom) : null;
            message->ControlLength = segments > 1 ? (nuint)ControlRoom : 0;
            message->Flags = 0;
            if (segments > 1)
            {
                *(ushort*)(_controls + (messages * ControlRoom) + 16) = (ushort)first->Vectors->Length;
            }

            messages++;
        }

        return messages;
    }

    /// <summary>The datagram a message's vector <paramref name="index"/> holds.</summary>
    public static ReadOnlySpan<byte> DatagramOf(LinuxMessages.MessageHeader* message, int index) =>
        new(message->Vectors[index].Base, (int)message->Vectors[index].Length);

    /// <summary>
    /// Adds to the message that entry <paramref name="first"/> begins the later entries for its address, up to the
    /// first one longer than it (which would break their order) or shorter (which ends it); returns how many
    /// datagrams it holds.
    /// </summary>
    private int Gather(LinuxMessages.MessageHeader* entries, int count, int first, Span<bool> taken, ref int vector)
    {
        var head = entries + first;
        var size = head->Vectors->Length;
        var segments = 1;
        var bytes = size;
        for (var j = first + 1; j < count && size > 0 && segments < MaxSegments; j++)
        {
            var entry = entries + j;
            if (taken[j] || !SameAddress(head, entry))
            {
                continue;
            }

            var length = entry->Vectors->Length;
            if (length > size || length == 0 || bytes + length > MaxBytes)
            {
                break;
            }

            taken[j] = true;
            _vectors[vector++] = *entry->Vectors;
            segments++;
            bytes += length;
            if (length < size)
            {
                break;
            }
        }

        return segments;
    }

    private static bool SameAddress(LinuxMessages.MessageHeader* a, LinuxMessages.MessageHeader* b) =>
        a->NameLength == b->NameLength
        && new ReadOnlySpan<byte>(a->Name, (int)a->NameLength).SequenceEqual(new ReadOnlySpan<byte>(b->Name, (int)b->NameLength));
}

using System.Runtime.InteropServices;

namespace Coap.Engine.Transport;

/// <summary>
/// Native room for recvmmsg(2) and sendmmsg(2): <c>count</c> struct mmsghdr, each with one iovec and room for an
/// address, and <c>dataRoom</c> bytes for the datagrams themselves; freed with the object.
/// </summary>
internal sealed unsafe class MessageHeaders
{
    public MessageHeaders(int count, nuint dataRoom)
    {
        Headers = (LinuxMessages.MessageHeader*)NativeMemory.AllocZeroed((nuint)count, (nuint)sizeof(LinuxMessages.MessageHeader));
        Vectors = (LinuxMessages.IoVector*)NativeMemory.AllocZeroed((nuint)count, (nuint)sizeof(LinuxMessages.IoVector));
        Addresses = (byte*)NativeMemory.Alloc((nuint)count, LinuxMessages.AddressRoom);
        Data = (byte*)NativeMemory.Alloc(dataRoom);
        for (var i = 0; i < count; i++)
        {
            Headers[i].Vectors = Vectors + i;
            Headers[i].VectorCount = 1;
            Headers[i].Name = Addresses + (i * LinuxMessages.AddressRoom);
        }
    }

    ~MessageHeaders()
    {
        NativeMemory.Free(Headers);
        NativeMemory.Free(Vectors);
        NativeMemory.Free(Addresses);
        NativeMemory.Free(Data);
    }

    public LinuxMessages.MessageHeader* Headers { get; }

    public LinuxMessages.IoVector* Vectors { get; }

    public byte* Addresses { get; }

    public byte* Data { get; }
}

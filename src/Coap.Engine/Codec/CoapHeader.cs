using Coap.Engine.Protocol;

namespace Coap.Engine.Codec;

/// <summary>The fixed 4-byte header, readable even when the rest of a datagram is malformed, so a CON can be reset.</summary>
public readonly record struct CoapHeader(int Version, CoapMessageType Type, int TokenLength, CoapCode Code, ushort MessageId)
{
    public const int Size = 4;

    public static bool TryRead(ReadOnlySpan<byte> datagram, out CoapHeader header)
    {
        if (datagram.Length < Size)
        {
            header = default;
            return false;
        }

        header = new CoapHeader(
            datagram[0] >> 6,
            (CoapMessageType)((datagram[0] >> 4) & 0x3),
            datagram[0] & 0xF,
            new CoapCode(datagram[1]),
            (ushort)((datagram[2] << 8) | datagram[3]));
        return true;
    }
}

using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Engine.Observe;

/// <summary>
/// One rendered notification, encoded once for all the observers it goes to: its code and the bytes after the token
/// (options with the Observe number, payload). Each observer's datagram is its own header and token in front of them,
/// so the fan-out shares these bytes and never changes a message another send still reads.
/// </summary>
internal sealed class EncodedNotification
{
    private readonly byte[] _body;

    public EncodedNotification(CoapMessage response)
    {
        Code = response.Code;
        _body = CoapMessageWriter.EncodeBody(response);
    }

    public CoapCode Code { get; }

    /// <summary>The length of the datagram for a token of this length.</summary>
    public int LengthWith(CoapToken token) => CoapHeader.Size + token.Length + _body.Length;

    /// <summary>Writes the datagram for one observer into <paramref name="destination"/>; returns its length.</summary>
    public int Write(Span<byte> destination, CoapMessageType type, ushort messageId, CoapToken token)
    {
        var position = CoapMessageWriter.WriteHeader(destination, type, Code, messageId, token);
        _body.CopyTo(destination[position..]);
        return position + _body.Length;
    }

    /// <summary>The datagram for one observer, as an array a retransmission can keep.</summary>
    public byte[] ToDatagram(CoapMessageType type, ushort messageId, CoapToken token)
    {
        var datagram = new byte[LengthWith(token)];
        Write(datagram, type, messageId, token);
        return datagram;
    }
}

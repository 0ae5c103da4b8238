using System.Net;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Testing;

/// <summary>A datagram a transport sent, with its destination.</summary>
public sealed record SentDatagram(byte[] Bytes, IPEndPoint Remote)
{
    /// <summary>The datagram decoded; fails the test when it is not a well-formed message.</summary>
    public CoapMessage Decode()
    {
        var error = CoapMessageReader.TryRead(Bytes, out var message);
        return error == CoapDecodeError.None ? message! : throw new InvalidOperationException($"Sent a malformed datagram: {error}");
    }
}

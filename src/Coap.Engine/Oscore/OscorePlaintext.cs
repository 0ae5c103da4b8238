using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

/// <summary>
/// The plaintext of a protected message (RFC 8613 §5.3): the inner code, the inner options encoded as in a CoAP
/// message, and 0xFF with the payload when there is one. Encoded and decoded with the engine's codec.
/// </summary>
internal static class OscorePlaintext
{
    public static byte[] Encode(CoapCode code, CoapOptionList innerOptions, ReadOnlyMemory<byte> payload)
    {
        var inner = new CoapMessage(innerOptions) { Payload = payload };
        var body = CoapMessageWriter.EncodeBody(inner);
        var plaintext = new byte[1 + body.Length];
        plaintext[0] = code.Value;
        body.CopyTo(plaintext, 1);
        return plaintext;
    }

    /// <summary>False when the options or payload are malformed, or the code is 0.00 (the codec's own checks).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> plaintext, out CoapMessage? inner)
    {
        inner = null;
        if (plaintext.IsEmpty || plaintext[0] == 0)
        {
            return false;
        }

        // A header with no token puts the options right where the codec expects them.
        var datagram = new byte[CoapHeader.Size + plaintext.Length - 1];
        datagram[0] = CoapMessage.Version << 6;
        datagram[1] = plaintext[0];
        plaintext[1..].CopyTo(datagram.AsSpan(CoapHeader.Size));
        return CoapMessageReader.TryRead(datagram, out inner) == CoapDecodeError.None;
    }
}

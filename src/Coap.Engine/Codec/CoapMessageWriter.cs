using System.Buffers;
using Coap.Engine.Protocol;

namespace Coap.Engine.Codec;

/// <summary>Encodes messages into datagrams (RFC 7252 §3) without intermediate buffers.</summary>
public static class CoapMessageWriter
{
    /// <summary>The exact number of bytes <see cref="Write(CoapMessage, Span{byte})"/> produces.</summary>
    public static int GetEncodedLength(CoapMessage message)
    {
        var length = CoapHeader.Size + message.Token.Length;
        var previous = 0;
        foreach (var option in message.Options)
        {
            length += 1 + ExtendedSize(option.Number - previous) + ExtendedSize(option.Value.Length) + option.Value.Length;
            previous = option.Number;
        }

        return message.Payload.IsEmpty ? length : length + 1 + message.Payload.Length;
    }

    /// <summary>Writes the message; returns the bytes written, or -1 if <paramref name="destination"/> is too small.</summary>
    public static int Write(CoapMessage message, Span<byte> destination)
    {
        var length = GetEncodedLength(message);
        if (length > destination.Length)
        {
            return -1;
        }

        var position = WriteHeader(destination, message.Type, message.Code, message.MessageId, message.Token);
        return position + WriteBody(message, destination[position..]);
    }

    /// <summary>Writes the 4-byte header and the token; returns the bytes written.</summary>
    internal static int WriteHeader(Span<byte> destination, CoapMessageType type, CoapCode code, ushort messageId, CoapToken token)
    {
        destination[0] = (byte)((CoapMessage.Version << 6) | ((int)type << 4) | token.Length);
        destination[1] = code.Value;
        destination[2] = (byte)(messageId >> 8);
        destination[3] = (byte)messageId;
        token.CopyTo(destination[CoapHeader.Size..]);
        return CoapHeader.Size + token.Length;
    }

    /// <summary>
    /// What follows the token: the options and the payload. Encoded once, it serves every copy of a message that
    /// differs only in type, message ID and token (the notifications of one change to many observers).
    /// </summary>
    internal static byte[] EncodeBody(CoapMessage message)
    {
        var bytes = new byte[GetEncodedLength(message) - CoapHeader.Size - message.Token.Length];
        WriteBody(message, bytes);
        return bytes;
    }

    private static int WriteBody(CoapMessage message, Span<byte> destination)
    {
        var position = 0;
        var previous = 0;
        foreach (var option in message.Options)
        {
            var delta = option.Number - previous;
            var valueLength = option.Value.Length;
            var head = position++;
            destination[head] = (byte)((Nibble(delta) << 4) | Nibble(valueLength));
            WriteExtended(destination, ref position, delta);
            WriteExtended(destination, ref position, valueLength);
            option.Value.Span.CopyTo(destination[position..]);
            position += valueLength;
            previous = option.Number;
        }

        if (!message.Payload.IsEmpty)
        {
            destination[position++] = 0xFF;
            message.Payload.Span.CopyTo(destination[position..]);
            position += message.Payload.Length;
        }

        return position;
    }

    public static void Write(CoapMessage message, IBufferWriter<byte> writer)
    {
        var length = GetEncodedLength(message);
        var written = Write(message, writer.GetSpan(length));
        writer.Advance(written);
    }

    public static byte[] ToArray(CoapMessage message)
    {
        var bytes = new byte[GetEncodedLength(message)];
        Write(message, bytes);
        return bytes;
    }

    private static int Nibble(int value) => value switch
    {
        < 13 => value,
        < 269 => 13,
        _ => 14,
    };

    private static int ExtendedSize(int value) => value switch
    {
        < 13 => 0,
        < 269 => 1,
        _ => 2,
    };

    private static void WriteExtended(Span<byte> destination, ref int position, int value)
    {
        if (value >= 269)
        {
            var extended = value - 269;
            destination[position++] = (byte)(extended >> 8);
            destination[position++] = (byte)extended;
        }
        else if (value >= 13)
        {
            destination[position++] = (byte)(value - 13);
        }
    }
}

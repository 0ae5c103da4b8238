using Coap.Engine.Protocol;

namespace Coap.Engine.Codec;

/// <summary>
/// Decodes datagrams into messages (RFC 7252 §3). Never throws on bad input: a malformed datagram yields a
/// <see cref="CoapDecodeError"/> and allocates nothing.
/// </summary>
public static class CoapMessageReader
{
    private const byte PayloadMarker = 0xFF;

    /// <summary>
    /// Decodes a datagram. The message's option values and payload are slices of <paramref name="datagram"/>,
    /// so the caller hands over a buffer that stays unchanged for the message's lifetime.
    /// </summary>
    public static CoapDecodeError TryRead(ReadOnlyMemory<byte> datagram, out CoapMessage? message)
    {
        message = null;
        var error = Scan(datagram.Span, out var header, out var optionCount, out var payloadOffset);
        if (error == CoapDecodeError.None)
        {
            message = Decode(datagram, header, optionCount, payloadOffset);
        }

        return error;
    }

    /// <summary>
    /// Decodes a datagram held in a buffer the caller reuses: a well-formed datagram is copied once into a buffer
    /// the message owns; a malformed one allocates nothing.
    /// </summary>
    public static CoapDecodeError TryReadCopy(ReadOnlySpan<byte> datagram, out CoapMessage? message)
    {
        message = null;
        var error = Scan(datagram, out var header, out var optionCount, out var payloadOffset);
        if (error == CoapDecodeError.None)
        {
            message = Decode(datagram.ToArray(), header, optionCount, payloadOffset);
        }

        return error;
    }

    /// <summary>Checks a datagram's structure without decoding it into objects.</summary>
    public static CoapDecodeError Validate(ReadOnlySpan<byte> datagram) => Scan(datagram, out _, out _, out _);

    private static CoapMessage Decode(ReadOnlyMemory<byte> datagram, CoapHeader header, int optionCount, int payloadOffset)
    {
        var options = new CoapOptionList(optionCount);
        var span = datagram.Span;
        var position = CoapHeader.Size + header.TokenLength;
        var number = 0;
        while (position < payloadOffset && span[position] != PayloadMarker)
        {
            ReadOptionHeader(span, ref position, out var delta, out var length);
            number += delta;
            options.Add((ushort)number, datagram.Slice(position, length));
            position += length;
        }

        return new CoapMessage(options)
        {
            Type = header.Type,
            Code = header.Code,
            MessageId = header.MessageId,
            Token = CoapToken.FromSpan(span.Slice(CoapHeader.Size, header.TokenLength)),
            Payload = payloadOffset < datagram.Length ? datagram[payloadOffset..] : ReadOnlyMemory<byte>.Empty,
            DatagramLength = datagram.Length,
        };
    }

    private static CoapDecodeError Scan(ReadOnlySpan<byte> span, out CoapHeader header, out int optionCount, out int payloadOffset)
    {
        optionCount = 0;
        payloadOffset = span.Length;
        if (!CoapHeader.TryRead(span, out header))
        {
            return CoapDecodeError.TooShort;
        }

        if (header.Version != CoapMessage.Version)
        {
            return CoapDecodeError.UnsupportedVersion;
        }

        if (header.TokenLength > CoapToken.MaxLength)
        {
            return CoapDecodeError.InvalidTokenLength;
        }

        // RFC 7252 §4.1: an empty message has token length 0 and nothing after the message ID.
        if (header.Code.IsEmpty && (span.Length != CoapHeader.Size || header.TokenLength != 0))
        {
            return CoapDecodeError.EmptyMessageNotEmpty;
        }

        var position = CoapHeader.Size + header.TokenLength;
        if (position > span.Length)
        {
            return CoapDecodeError.TruncatedToken;
        }

        var number = 0;
        while (position < span.Length)
        {
            if (span[position] == PayloadMarker)
            {
                payloadOffset = position + 1;
                return payloadOffset == span.Length ? CoapDecodeError.PayloadMarkerWithoutPayload : CoapDecodeError.None;
            }

            var error = ReadOptionHeader(span, ref position, out var delta, out var length);
            if (error != CoapDecodeError.None)
            {
                return error;
            }

            if (length > span.Length - position)
            {
                return CoapDecodeError.TruncatedOption;
            }

            number += delta;
            if (number > ushort.MaxValue)
            {
                return CoapDecodeError.OptionNumberTooLarge;
            }

            position += length;
            optionCount++;
        }

        return CoapDecodeError.None;
    }

    private static CoapDecodeError ReadOptionHeader(ReadOnlySpan<byte> span, ref int position, out int delta, out int length)
    {
        var first = span[position++];
        length = 0;
        var error = ReadExtended(span, ref position, first >> 4, out delta);
        return error != CoapDecodeError.None ? error : ReadExtended(span, ref position, first & 0xF, out length);
    }

    /// <summary>Nibbles 13 and 14 announce one or two extension bytes; 15 is reserved (RFC 7252 §3.1).</summary>
    private static CoapDecodeError ReadExtended(ReadOnlySpan<byte> span, ref int position, int nibble, out int value)
    {
        switch (nibble)
        {
            case < 13:
                value = nibble;
                return CoapDecodeError.None;
            case 13:
                if (position + 1 > span.Length)
                {
                    value = 0;
                    return CoapDecodeError.TruncatedOption;
                }

                value = span[position++] + 13;
                return CoapDecodeError.None;
            case 14:
                if (position + 2 > span.Length)
                {
                    value = 0;
                    return CoapDecodeError.TruncatedOption;
                }

                value = ((span[position] << 8) | span[position + 1]) + 269;
                position += 2;
                return CoapDecodeError.None;
            default:
                value = 0;
                return CoapDecodeError.ReservedOptionNibble;
        }
    }
}

namespace Coap.Engine.Oscore;

/// <summary>
/// The value of the OSCORE option (RFC 8613 §6.1): a flag byte 0 0 0 h k n n n, then n bytes of Partial IV, then (h)
/// a length byte and the kid context, then (k) the kid up to the end. All flags zero is the empty value.
/// </summary>
public readonly record struct OscoreOptionValue(ReadOnlyMemory<byte> PartialIv, ReadOnlyMemory<byte>? Kid, ReadOnlyMemory<byte>? KidContext)
{
    private const int KidFlag = 0x08;
    private const int KidContextFlag = 0x10;
    private const int ReservedFlags = 0xE0;

    public bool HasPartialIv => !PartialIv.IsEmpty;

    public byte[] Encode()
    {
        if (PartialIv.Length > 5 || KidContext is { Length: > byte.MaxValue })
        {
            throw new ArgumentException("A Partial IV has at most 5 bytes and a kid context at most 255.");
        }

        var flags = PartialIv.Length | (Kid is null ? 0 : KidFlag) | (KidContext is null ? 0 : KidContextFlag);
        if (flags == 0)
        {
            return [];
        }

        var contextLength = KidContext is { } context ? 1 + context.Length : 0;
        var bytes = new byte[1 + PartialIv.Length + contextLength + (Kid?.Length ?? 0)];
        bytes[0] = (byte)flags;
        var position = 1;
        PartialIv.Span.CopyTo(bytes.AsSpan(position));
        position += PartialIv.Length;
        if (KidContext is { } kidContext)
        {
            bytes[position++] = (byte)kidContext.Length;
            kidContext.Span.CopyTo(bytes.AsSpan(position));
            position += kidContext.Length;
        }

        Kid?.Span.CopyTo(bytes.AsSpan(position));
        return bytes;
    }

    /// <summary>
    /// Decodes an option value, its parts slices of <paramref name="value"/>. False for every malformed value (§8.2
    /// step 2, answered 4.02): reserved flag bits, n = 6 or 7, a value cut short, bytes after the last part, a single
    /// zero flag byte (all flags zero is the empty value), a Partial IV with a leading zero byte.
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> value, out OscoreOptionValue decoded)
    {
        decoded = default;
        var span = value.Span;
        if (span.IsEmpty)
        {
            return true;
        }

        var flags = span[0];
        var pivLength = flags & 0x07;
        if ((flags & ReservedFlags) != 0 || pivLength > 5 || flags == 0)
        {
            return false;
        }

        var position = 1;
        if (span.Length < position + pivLength || (pivLength > 1 && span[position] == 0))
        {
            return false;
        }

        var partialIv = value.Slice(position, pivLength);
        position += pivLength;
        ReadOnlyMemory<byte>? kidContext = null;
        if ((flags & KidContextFlag) != 0)
        {
            if (span.Length < position + 1 || span.Length < position + 1 + span[position])
            {
                return false;
            }

            kidContext = value.Slice(position + 1, span[position]);
            position += 1 + span[position];
        }

        ReadOnlyMemory<byte>? kid = null;
        if ((flags & KidFlag) != 0)
        {
            kid = value[position..];
        }
        else if (position != span.Length)
        {
            return false;
        }

        decoded = new OscoreOptionValue(partialIv, kid, kidContext);
        return true;
    }
}

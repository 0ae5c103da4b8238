using System.Buffers.Binary;

namespace Coap.Engine.Protocol;

/// <summary>
/// A token of 0 to 8 bytes (RFC 7252 §5.3.1), held by value so that matching and storing tokens never allocates.
/// </summary>
public readonly struct CoapToken : IEquatable<CoapToken>
{
    public const int MaxLength = 8;

    private readonly ulong _bits;
    private readonly byte _length;

    private CoapToken(ulong bits, byte length)
    {
        _bits = bits;
        _length = length;
    }

    public static CoapToken Empty => default;

    public int Length => _length;

    /// <summary>Reads a token of at most 8 bytes.</summary>
    public static CoapToken FromSpan(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new ArgumentException("A token holds at most 8 bytes (RFC 7252 §3).", nameof(bytes));
        }

        Span<byte> buffer = stackalloc byte[MaxLength];
        buffer.Clear();
        bytes.CopyTo(buffer);
        return new CoapToken(BinaryPrimitives.ReadUInt64BigEndian(buffer), (byte)bytes.Length);
    }

    /// <summary>A token of <paramref name="length"/> bytes holding the low bytes of <paramref name="value"/>.</summary>
    public static CoapToken FromUInt64(ulong value, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var bits = length == 0 ? 0 : value << ((MaxLength - length) * 8);
        return new CoapToken(bits, (byte)length);
    }

    /// <summary>Writes the token's bytes; the destination must hold <see cref="Length"/> bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, _bits);
        buffer[.._length].CopyTo(destination);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[_length];
        CopyTo(bytes);
        return bytes;
    }

    public bool Equals(CoapToken other) => _bits == other._bits && _length == other._length;

    public override bool Equals(object? obj) => obj is CoapToken other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_bits, _length);

    public static bool operator ==(CoapToken left, CoapToken right) => left.Equals(right);

    public static bool operator !=(CoapToken left, CoapToken right) => !left.Equals(right);

    /// <summary>Lower-case hex, as libcoap and aiocoap print tokens.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToArray());
}

using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace System.Formats.Cbor;

/// <summary>Integers, bignums, floats, simple values and time tags (RFC 8949 §3.1, §3.3, §3.4).</summary>
public sealed partial class CborReader
{
    public ulong ReadUInt64() => ReadHead(CborMajorType.UnsignedInteger, out _).Also(ItemRead);

    public uint ReadUInt32() => checked((uint)PeekUnsigned()).Also(() => ReadUInt64());

    public int ReadInt32() => checked((int)PeekSigned()).Also(() => ReadInt64());

    /// <summary>A major type 0 or 1 integer; throws <see cref="OverflowException"/> outside the range of long.</summary>
    public long ReadInt64()
    {
        var value = PeekSigned();
        ReadCborIntegerArgument();
        return value;
    }

    /// <summary>The argument n of a negative integer −1 − n, covering down to −2^64.</summary>
    public ulong ReadCborNegativeIntegerRepresentation() => ReadHead(CborMajorType.NegativeInteger, out _).Also(ItemRead);

    /// <summary>An integer of major type 0 or 1, or a bignum (tag 2 or 3 with a byte string, RFC 8949 §3.4.3).</summary>
    public BigInteger ReadBigInteger()
    {
        switch (PeekState())
        {
            case CborReaderState.UnsignedInteger:
                return ReadUInt64();
            case CborReaderState.NegativeInteger:
                return -1 - (BigInteger)ReadCborNegativeIntegerRepresentation();
            case CborReaderState.Tag:
                var tag = PeekTag();
                if (tag is not (CborTag.UnsignedBigNum or CborTag.NegativeBigNum))
                {
                    throw new InvalidOperationException($"Tag {(ulong)tag} is not a bignum.");
                }

                ReadTag();
                var magnitude = new BigInteger(ReadByteString(), isUnsigned: true, isBigEndian: true);
                return tag == CborTag.UnsignedBigNum ? magnitude : -1 - magnitude;
            default:
                throw new InvalidOperationException($"The next item is {PeekState()}, not an integer.");
        }
    }

    public Half ReadHalf()
    {
        ExpectState(CborReaderState.HalfPrecisionFloat);
        var value = BinaryPrimitives.ReadHalfBigEndian(FloatBytes(2));
        ItemRead();
        return value;
    }

    /// <summary>A half- or single-precision float.</summary>
    public float ReadSingle() => PeekState() switch
    {
        CborReaderState.HalfPrecisionFloat => (float)ReadHalf(),
        CborReaderState.SinglePrecisionFloat => BinaryPrimitives.ReadSingleBigEndian(FloatBytes(4)).Also(ItemRead),
        var state => throw new InvalidOperationException($"The next item is {state}, not a half or single float."),
    };

    /// <summary>A float of any width.</summary>
    public double ReadDouble() => PeekState() switch
    {
        CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat => ReadSingle(),
        CborReaderState.DoublePrecisionFloat => BinaryPrimitives.ReadDoubleBigEndian(FloatBytes(8)).Also(ItemRead),
        var state => throw new InvalidOperationException($"The next item is {state}, not a float."),
    };

    public bool ReadBoolean()
    {
        ExpectState(CborReaderState.Boolean);
        return ReadSimpleValue() == CborSimpleValue.True;
    }

    public void ReadNull()
    {
        ExpectState(CborReaderState.Null);
        ReadSimpleValue();
    }

    /// <summary>
    /// A simple value. A two-byte form of a value below 24 is refused as not well-formed; 24 to 31 in two bytes
    /// (reserved by RFC 8949 §3.3, valid in RFC 7049) are accepted, since the Appendix A vectors still carry simple(24).
    /// </summary>
    public CborSimpleValue ReadSimpleValue()
    {
        var state = PeekState();
        if (state is not (CborReaderState.SimpleValue or CborReaderState.Boolean or CborReaderState.Null))
        {
            throw new InvalidOperationException($"The next item is {state}, not a simple value.");
        }

        var value = ReadHead(CborMajorType.Simple, out var info);
        if (info == 24 && value < 24)
        {
            throw new CborContentException($"Simple value {value} before offset {_offset} must use the one-byte form (RFC 8949 §3.3).");
        }

        ItemRead();
        return (CborSimpleValue)(byte)(info == 24 ? value : (ulong)info);
    }

    /// <summary>
    /// Tag 1 with an integer or float number of seconds since 1970-01-01T00:00Z. As in System.Formats.Cbor, NaN and
    /// infinity are <see cref="CborContentException"/>, a finite number past what a date can hold
    /// <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public DateTimeOffset ReadUnixTimeSeconds()
    {
        if (ReadTag() != CborTag.UnixTimeSeconds)
        {
            throw new InvalidOperationException("The item is not tagged as epoch time (tag 1).");
        }

        if (PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger)
        {
            return DateTimeOffset.FromUnixTimeSeconds(ReadInt64());
        }

        var seconds = ReadDouble();
        return double.IsFinite(seconds)
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : throw new CborContentException("Epoch time (tag 1) must be a finite number.");
    }

    /// <summary>Tag 0 with an RFC 3339 date/time string.</summary>
    public DateTimeOffset ReadDateTimeOffset()
    {
        if (ReadTag() != CborTag.DateTimeString)
        {
            throw new InvalidOperationException("The item is not tagged as a date/time string (tag 0).");
        }

        var text = ReadTextString();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : throw new CborContentException($"'{text}' is not an RFC 3339 date/time.");
    }

    private ulong PeekUnsigned()
    {
        var offset = _offset;
        var value = ReadHead(CborMajorType.UnsignedInteger, out _);
        _offset = offset;
        return value;
    }

    private long PeekSigned()
    {
        var state = PeekState();
        var offset = _offset;
        var major = state == CborReaderState.NegativeInteger ? CborMajorType.NegativeInteger : CborMajorType.UnsignedInteger;
        var argument = ReadHead(major, out _);
        _offset = offset;
        if (argument > long.MaxValue)
        {
            throw new OverflowException($"The integer at offset {_offset} does not fit a 64-bit signed integer.");
        }

        return major == CborMajorType.NegativeInteger ? -1 - (long)argument : (long)argument;
    }

    private void ReadCborIntegerArgument()
    {
        var major = PeekState() == CborReaderState.NegativeInteger ? CborMajorType.NegativeInteger : CborMajorType.UnsignedInteger;
        ReadHead(major, out _);
        ItemRead();
    }

    private ReadOnlySpan<byte> FloatBytes(int size)
    {
        if (BytesRemaining < 1 + size)
        {
            throw new CborContentException($"The float at offset {_offset} is truncated.");
        }

        var bytes = _data.Span.Slice(_offset + 1, size);
        _offset += 1 + size;
        return bytes;
    }
}

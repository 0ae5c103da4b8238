using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace System.Formats.Cbor;

/// <summary>
/// Writes CBOR (RFC 8949) with the shape of System.Formats.Cbor's CborWriter, for the subset this project uses:
/// integers in their shortest form, strings, arrays and maps (definite or indefinite), tags, simple values and
/// floats in the shortest lossless width.
/// </summary>
public sealed partial class CborWriter
{
    private readonly Stack<Frame> _frames = new();
    private byte[] _buffer = new byte[64];
    private int _length;
    private int _rootItems;

    public CborWriter(CborConformanceMode conformanceMode = CborConformanceMode.Strict, bool convertIndefiniteLengthEncodings = false, bool allowMultipleRootLevelValues = false)
    {
        ConformanceMode = conformanceMode;
        ConvertIndefiniteLengthEncodings = convertIndefiniteLengthEncodings;
        AllowMultipleRootLevelValues = allowMultipleRootLevelValues;
    }

    public CborConformanceMode ConformanceMode { get; }

    public bool ConvertIndefiniteLengthEncodings { get; }

    public bool AllowMultipleRootLevelValues { get; }

    public int BytesWritten => _length;

    public int CurrentDepth => _frames.Count;

    /// <summary>A complete root item (or more, when allowed) has been written and no container is open.</summary>
    public bool IsWriteCompleted => _frames.Count == 0 && _rootItems > 0;

    public void Reset()
    {
        _frames.Clear();
        _length = 0;
        _rootItems = 0;
    }

    public byte[] Encode()
    {
        EnsureCompleted();
        return _buffer.AsSpan(0, _length).ToArray();
    }

    public int Encode(Span<byte> destination) =>
        TryEncode(destination, out var written) ? written : throw new ArgumentException("The destination is too small.", nameof(destination));

    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        EnsureCompleted();
        if (destination.Length < _length)
        {
            bytesWritten = 0;
            return false;
        }

        _buffer.AsSpan(0, _length).CopyTo(destination);
        bytesWritten = _length;
        return true;
    }

    public void WriteInt32(int value) => WriteInt64(value);

    public void WriteUInt32(uint value) => WriteUInt64(value);

    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteHead(CborMajorType.UnsignedInteger, (ulong)value);
        }
        else
        {
            WriteHead(CborMajorType.NegativeInteger, (ulong)(-1 - value));
        }

        ItemWritten();
    }

    public void WriteUInt64(ulong value)
    {
        WriteHead(CborMajorType.UnsignedInteger, value);
        ItemWritten();
    }

    /// <summary>Writes the negative integer −1 − <paramref name="value"/>, down to −2^64 (RFC 8949 §3.1 major type 1).</summary>
    public void WriteCborNegativeIntegerRepresentation(ulong value)
    {
        WriteHead(CborMajorType.NegativeInteger, value);
        ItemWritten();
    }

    /// <summary>An integer in major type 0 or 1 when it fits 64 bits, else a bignum (tag 2 or 3, RFC 8949 §3.4.3).</summary>
    public void WriteBigInteger(BigInteger value)
    {
        if (value >= 0 && value <= ulong.MaxValue)
        {
            WriteUInt64((ulong)value);
            return;
        }

        if (value < 0 && -1 - value <= ulong.MaxValue)
        {
            WriteCborNegativeIntegerRepresentation((ulong)(-1 - value));
            return;
        }

        var negative = value < 0;
        WriteTag(negative ? CborTag.NegativeBigNum : CborTag.UnsignedBigNum);
        WriteByteString((negative ? -1 - value : value).ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    public void WriteByteString(ReadOnlySpan<byte> value)
    {
        WriteHead(CborMajorType.ByteString, (ulong)value.Length);
        Append(value);
        ItemWritten();
    }

    public void WriteByteString(byte[] value) => WriteByteString(value.AsSpan());

    public void WriteTextString(ReadOnlySpan<char> value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteHead(CborMajorType.TextString, (ulong)length);
        Encoding.UTF8.GetBytes(value, Reserve(length));
        _length += length;
        ItemWritten();
    }

    public void WriteTextString(string value) => WriteTextString(value.AsSpan());

    public void WriteTag(CborTag tag) => WriteHead(CborMajorType.Tag, (ulong)tag);

    public void WriteBoolean(bool value) => WriteSimpleValue(value ? CborSimpleValue.True : CborSimpleValue.False);

    public void WriteNull() => WriteSimpleValue(CborSimpleValue.Null);

    /// <summary>Writes a simple value: below 24 in the initial byte, from 24 on in a second byte (RFC 8949 §3.3).</summary>
    public void WriteSimpleValue(CborSimpleValue value)
    {
        var number = (byte)value;
        if (number < 24)
        {
            Append((byte)(0xE0 | number));
        }
        else
        {
            Append(0xF8);
            Append(number);
        }

        ItemWritten();
    }

    /// <summary>An encoded data item, copied as is after a well-formedness check.</summary>
    public void WriteEncodedValue(ReadOnlySpan<byte> encodedValue)
    {
        var reader = new CborReader(encodedValue.ToArray(), CborConformanceMode.Lax);
        reader.SkipValue();
        if (reader.BytesRemaining != 0)
        {
            throw new ArgumentException("The value holds more than one data item.", nameof(encodedValue));
        }

        Append(encodedValue);
        ItemWritten();
    }

    private void WriteHead(CborMajorType major, ulong argument)
    {
        var type = (byte)((byte)major << 5);
        var head = Reserve(9);
        int size;
        if (argument < 24)
        {
            head[0] = (byte)(type | (byte)argument);
            size = 1;
        }
        else if (argument <= byte.MaxValue)
        {
            head[0] = (byte)(type | 24);
            head[1] = (byte)argument;
            size = 2;
        }
        else if (argument <= ushort.MaxValue)
        {
            head[0] = (byte)(type | 25);
            BinaryPrimitives.WriteUInt16BigEndian(head[1..], (ushort)argument);
            size = 3;
        }
        else if (argument <= uint.MaxValue)
        {
            head[0] = (byte)(type | 26);
            BinaryPrimitives.WriteUInt32BigEndian(head[1..], (uint)argument);
            size = 5;
        }
        else
        {
            head[0] = (byte)(type | 27);
            BinaryPrimitives.WriteUInt64BigEndian(head[1..], argument);
            size = 9;
        }

        _length += size;
    }

    private void Append(byte value)
    {
        Reserve(1)[0] = value;
        _length++;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        return _buffer.AsSpan(_length, count);
    }

    private void EnsureCompleted()
    {
        if (!IsWriteCompleted)
        {
            throw new InvalidOperationException("The CBOR value is not complete: a container is still open or nothing was written.");
        }
    }
}

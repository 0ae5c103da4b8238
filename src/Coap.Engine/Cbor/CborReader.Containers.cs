namespace System.Formats.Cbor;

/// <summary>Arrays, maps, tags and skipping (RFC 8949 §3.1, §3.4).</summary>
public sealed partial class CborReader
{
    /// <summary>Starts an array; returns its length, or null for indefinite length.</summary>
    public int? ReadStartArray() => StartContainer(CborMajorType.Array, 1);

    public void ReadEndArray() => EndContainer(CborMajorType.Array);

    /// <summary>Starts a map; returns its number of pairs, or null for indefinite length.</summary>
    public int? ReadStartMap() => StartContainer(CborMajorType.Map, 2);

    public void ReadEndMap() => EndContainer(CborMajorType.Map);

    public CborTag ReadTag()
    {
        var tag = (CborTag)ReadHead(CborMajorType.Tag, out _);
        if (++_pendingTags > MaxDepth)
        {
            throw new CborContentException($"More than {MaxDepth} nested tags at offset {_offset}.");
        }

        return tag;
    }

    public CborTag PeekTag()
    {
        var offset = _offset;
        var pending = _pendingTags;
        var tag = ReadTag();
        _offset = offset;
        _pendingTags = pending;
        return tag;
    }

    /// <summary>Skips the next item with everything inside it.</summary>
    public void SkipValue()
    {
        var depth = _frames.Count;
        do
        {
            SkipOne();
        }
        while (_frames.Count > depth || _pendingTags > 0);
    }

    /// <summary>The encoded bytes of the next item.</summary>
    public ReadOnlyMemory<byte> ReadEncodedValue()
    {
        var start = _offset;
        SkipValue();
        return _data[start.._offset];
    }

    private void SkipOne()
    {
        switch (PeekState())
        {
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                ReadCborIntegerArgument();
                break;
            case CborReaderState.ByteString:
            case CborReaderState.TextString:
                ReadDefiniteStringBytes();
                break;
            case CborReaderState.StartIndefiniteLengthByteString:
                ReadStartIndefiniteLengthByteString();
                break;
            case CborReaderState.EndIndefiniteLengthByteString:
                ReadEndIndefiniteLengthByteString();
                break;
            case CborReaderState.StartIndefiniteLengthTextString:
                ReadStartIndefiniteLengthTextString();
                break;
            case CborReaderState.EndIndefiniteLengthTextString:
                ReadEndIndefiniteLengthTextString();
                break;
            case CborReaderState.StartArray:
                ReadStartArray();
                break;
            case CborReaderState.EndArray:
                ReadEndArray();
                break;
            case CborReaderState.StartMap:
                ReadStartMap();
                break;
            case CborReaderState.EndMap:
                ReadEndMap();
                break;
            case CborReaderState.Tag:
                ReadTag();
                break;
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                ReadDouble();
                break;
            case CborReaderState.Finished:
                throw new InvalidOperationException("There is no item left to skip.");
            default:
                ReadSimpleValue();
                break;
        }
    }

    private int? StartContainer(CborMajorType major, int itemsPerEntry)
    {
        var length = ReadHead(major, out var info);
        if (info == 31)
        {
            Push(new Frame(major, null, ItemsStart: _offset, Keys: KeysFor(major)));
            return null;
        }

        if (length > (ulong)(BytesRemaining / itemsPerEntry))
        {
            throw new CborContentException($"The {major} at offset {_offset} announces {length} entries but the data cannot hold them.");
        }

        Push(new Frame(major, (int)length * itemsPerEntry, ItemsStart: _offset, Keys: KeysFor(major)));
        return (int)length;
    }

    private List<Range>? KeysFor(CborMajorType major) =>
        major == CborMajorType.Map && ConformanceMode == CborConformanceMode.Strict ? [] : null;

    private void EndContainer(CborMajorType major)
    {
        var state = PeekState();
        var expected = major == CborMajorType.Array ? CborReaderState.EndArray : CborReaderState.EndMap;
        if (state != expected)
        {
            throw new InvalidOperationException($"The next item is {state}, not {expected}.");
        }

        if (_frames.Pop().Remaining is null)
        {
            _offset++;
        }

        ItemRead();
    }
}

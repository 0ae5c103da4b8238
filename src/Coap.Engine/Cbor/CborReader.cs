using System.Buffers.Binary;

namespace System.Formats.Cbor;

/// <summary>
/// Reads CBOR (RFC 8949) with the shape of System.Formats.Cbor's CborReader. Input that is not well-formed —
/// truncated, reserved additional information 28–30, a break outside an indefinite-length item, nesting deeper than
/// <see cref="MaxDepth"/>, invalid UTF-8 in Strict mode — raises <see cref="CborContentException"/>; reading an
/// item as the wrong type raises <see cref="InvalidOperationException"/>, as the package does.
/// </summary>
public sealed partial class CborReader
{
    /// <summary>The deepest nesting of arrays, maps, tags and indefinite-length strings accepted.</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly Stack<Frame> _frames = new();
    private int _offset;
    private int _rootItems;
    private int _pendingTags;

    public CborReader(ReadOnlyMemory<byte> data, CborConformanceMode conformanceMode = CborConformanceMode.Strict, bool allowMultipleRootLevelValues = false)
    {
        _data = data;
        ConformanceMode = conformanceMode;
        AllowMultipleRootLevelValues = allowMultipleRootLevelValues;
    }

    public CborConformanceMode ConformanceMode { get; }

    public bool AllowMultipleRootLevelValues { get; }

    public int BytesRemaining => _data.Length - _offset;

    public int CurrentDepth => _frames.Count;

    /// <summary>What the next item is, without consuming it.</summary>
    public CborReaderState PeekState()
    {
        if (_frames.TryPeek(out var frame) && frame.Remaining == 0)
        {
            return frame.Major == CborMajorType.Array ? CborReaderState.EndArray : CborReaderState.EndMap;
        }

        if (_frames.Count == 0 && _pendingTags == 0 && _rootItems > 0 && (!AllowMultipleRootLevelValues || BytesRemaining == 0))
        {
            return BytesRemaining == 0
                ? CborReaderState.Finished
                : throw new CborContentException($"{BytesRemaining} bytes follow the root item at offset {_offset} (data after the root item is not allowed).");
        }

        if (BytesRemaining == 0)
        {
            throw new CborContentException($"The data ends at offset {_offset} where an item was expected.");
        }

        var initial = _data.Span[_offset];
        var major = (CborMajorType)(initial >> 5);
        var info = initial & 0x1F;
        if (initial == 0xFF)
        {
            return BreakState(frame);
        }

        if (info is >= 28 and <= 30)
        {
            throw new CborContentException($"Reserved additional information {info} at offset {_offset} (RFC 8949 §3).");
        }

        if (frame.Chunked && (major != frame.Major || info == 31))
        {
            throw new CborContentException($"A chunk of an indefinite-length string at offset {_offset} must be a definite {frame.Major}.");
        }

        return major switch
        {
            CborMajorType.UnsignedInteger => CborReaderState.UnsignedInteger,
            CborMajorType.NegativeInteger => CborReaderState.NegativeInteger,
            CborMajorType.ByteString => info == 31 ? CborReaderState.StartIndefiniteLengthByteString : CborReaderState.ByteString,
            CborMajorType.TextString => info == 31 ? CborReaderState.StartIndefiniteLengthTextString : CborReaderState.TextString,
            CborMajorType.Array => CborReaderState.StartArray,
            CborMajorType.Map => CborReaderState.StartMap,
            CborMajorType.Tag => info == 31 ? throw Malformed("a tag cannot have indefinite length") : CborReaderState.Tag,
            _ => SimpleState(info),
        };
    }

    private CborReaderState BreakState(Frame frame)
    {
        if (_frames.Count == 0 || frame.Remaining is not null)
        {
            throw new CborContentException($"A break (0xff) at offset {_offset} is outside an indefinite-length item.");
        }

        if (_pendingTags > 0 || (frame.Major == CborMajorType.Map && frame.Items % 2 != 0))
        {
            throw new CborContentException($"A break at offset {_offset} ends an incomplete item.");
        }

        return frame.Major switch
        {
            CborMajorType.Array => CborReaderState.EndArray,
            CborMajorType.Map => CborReaderState.EndMap,
            CborMajorType.ByteString => CborReaderState.EndIndefiniteLengthByteString,
            _ => CborReaderState.EndIndefiniteLengthTextString,
        };
    }

    private CborReaderState SimpleState(int info) => info switch
    {
        20 or 21 => CborReaderState.Boolean,
        22 => CborReaderState.Null,
        25 => CborReaderState.HalfPrecisionFloat,
        26 => CborReaderState.SinglePrecisionFloat,
        27 => CborReaderState.DoublePrecisionFloat,
        31 => throw Malformed("0xff is a break, not a value"),
        _ => CborReaderState.SimpleValue,
    };

    /// <summary>Reads the initial byte and argument of an item of the expected major type.</summary>
    private ulong ReadHead(CborMajorType expected, out int info)
    {
        var state = PeekState();
        var initial = _data.Span[_offset];
        if ((CborMajorType)(initial >> 5) != expected || state is CborReaderState.EndArray or CborReaderState.EndMap)
        {
            throw new InvalidOperationException($"The next item is {state}, not {expected}.");
        }

        info = initial & 0x1F;
        var size = info switch
        {
            < 24 => 0,
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            _ => 0,
        };
        if (BytesRemaining < 1 + size)
        {
            throw new CborContentException($"The item at offset {_offset} is truncated.");
        }

        var argument = _data.Span.Slice(_offset + 1, size);
        ulong value = size switch
        {
            0 => (ulong)(info < 24 ? info : 0),
            1 => argument[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(argument),
            4 => BinaryPrimitives.ReadUInt32BigEndian(argument),
            _ => BinaryPrimitives.ReadUInt64BigEndian(argument),
        };
        _offset += 1 + size;
        return value;
    }

    /// <summary>A finished item counts against the innermost container, or as a root item.</summary>
    private void ItemRead()
    {
        _pendingTags = 0;
        if (_frames.Count == 0)
        {
            _rootItems++;
            return;
        }

        var frame = _frames.Pop();
        if (frame.Major == CborMajorType.Map && frame.Items % 2 == 0 && ConformanceMode == CborConformanceMode.Strict)
        {
            CheckUniqueKey(frame);
        }

        _frames.Push(frame with { Remaining = frame.Remaining - 1, Items = frame.Items + 1, ItemsStart = _offset });
    }

    /// <summary>Strict mode refuses a map whose keys repeat (RFC 8949 §5.6), comparing their encoded bytes.</summary>
    private void CheckUniqueKey(Frame frame)
    {
        var span = _data.Span;
        var key = span[frame.ItemsStart.._offset];
        foreach (var previous in frame.Keys!)
        {
            if (span[previous].SequenceEqual(key))
            {
                throw new CborContentException($"Duplicate map key at offset {frame.ItemsStart} (RFC 8949 §5.6).");
            }
        }

        frame.Keys.Add(frame.ItemsStart.._offset);
    }

    private void Push(Frame frame)
    {
        if (_frames.Count >= MaxDepth)
        {
            throw new CborContentException($"Nesting deeper than {MaxDepth} levels at offset {_offset}.");
        }

        _frames.Push(frame);
    }

    private CborContentException Malformed(string what) => new($"Malformed CBOR at offset {_offset}: {what}.");

    /// <summary>An open container or indefinite-length string; <see cref="Remaining"/> is null when indefinite.</summary>
    private readonly record struct Frame(CborMajorType Major, int? Remaining, int Items = 0, bool Chunked = false, int ItemsStart = 0, List<Range>? Keys = null);
}

namespace System.Formats.Cbor;

/// <summary>Arrays and maps, definite or indefinite length (RFC 8949 §3.1, §3.2.2), and item accounting.</summary>
public sealed partial class CborWriter
{
    /// <summary>Starts an array of <paramref name="definiteLength"/> items, or of indefinite length when null.</summary>
    public void WriteStartArray(int? definiteLength) => Start(CborMajorType.Array, definiteLength, items: definiteLength);

    public void WriteEndArray() => End(CborMajorType.Array);

    /// <summary>Starts a map of <paramref name="definiteLength"/> pairs, or of indefinite length when null.</summary>
    public void WriteStartMap(int? definiteLength) => Start(CborMajorType.Map, definiteLength, items: definiteLength * 2);

    public void WriteEndMap() => End(CborMajorType.Map);

    private void Start(CborMajorType major, int? definiteLength, int? items)
    {
        if (definiteLength is { } count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(definiteLength));
            WriteHead(major, (ulong)count);
        }
        else
        {
            Append((byte)(((byte)major << 5) | 31));
        }

        _frames.Push(new Frame(major, items));
    }

    private void End(CborMajorType major)
    {
        if (_frames.Count == 0 || _frames.Peek().Major != major)
        {
            throw new InvalidOperationException($"No {major} is open.");
        }

        var frame = _frames.Pop();
        if (frame.Remaining is null)
        {
            if (major == CborMajorType.Map && frame.Written % 2 != 0)
            {
                throw new InvalidOperationException("A map key has no value.");
            }

            Append(0xFF);
        }
        else if (frame.Remaining != 0)
        {
            throw new InvalidOperationException($"The {major} still expects {frame.Remaining} items.");
        }

        ItemWritten();
    }

    /// <summary>Counts a finished item against the innermost container, or as a root item.</summary>
    private void ItemWritten()
    {
        if (_frames.Count == 0)
        {
            if (_rootItems > 0 && !AllowMultipleRootLevelValues)
            {
                throw new InvalidOperationException("A root value was already written.");
            }

            _rootItems++;
            return;
        }

        var frame = _frames.Pop();
        if (frame.Remaining == 0)
        {
            _frames.Push(frame);
            throw new InvalidOperationException($"The {frame.Major} holds no more items.");
        }

        _frames.Push(frame with { Remaining = frame.Remaining - 1, Written = frame.Written + 1 });
    }

    private readonly record struct Frame(CborMajorType Major, int? Remaining, int Written = 0);
}

using System.Text;

namespace System.Formats.Cbor;

/// <summary>Byte and text strings, definite or indefinite length (RFC 8949 §3.1, §3.2.3).</summary>
public sealed partial class CborReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A byte string; an indefinite-length one comes back with its chunks joined.</summary>
    public byte[] ReadByteString() => ReadJoined(CborMajorType.ByteString).ToArray();

    public bool TryReadByteString(Span<byte> destination, out int bytesWritten)
    {
        var offset = _offset;
        var frames = _frames.Count;
        var bytes = ReadJoined(CborMajorType.ByteString);
        if (bytes.Length > destination.Length)
        {
            _offset = offset;
            while (_frames.Count > frames)
            {
                _frames.Pop();
            }

            bytesWritten = 0;
            return false;
        }

        bytes.Span.CopyTo(destination);
        bytesWritten = bytes.Length;
        return true;
    }

    /// <summary>A definite-length byte string as a slice of the input, without copying.</summary>
    public ReadOnlyMemory<byte> ReadDefiniteLengthByteString()
    {
        ExpectState(CborReaderState.ByteString);
        return ReadDefiniteStringBytes();
    }

    /// <summary>A text string; Strict mode refuses invalid UTF-8.</summary>
    public string ReadTextString()
    {
        var bytes = ReadJoined(CborMajorType.TextString);
        try
        {
            return ConformanceMode == CborConformanceMode.Strict ? StrictUtf8.GetString(bytes.Span) : Encoding.UTF8.GetString(bytes.Span);
        }
        catch (DecoderFallbackException error)
        {
            throw new CborContentException($"A text string before offset {_offset} is not valid UTF-8 (RFC 8949 §3.1).", error);
        }
    }

    public void ReadStartIndefiniteLengthByteString() => StartChunks(CborMajorType.ByteString, CborReaderState.StartIndefiniteLengthByteString);

    public void ReadEndIndefiniteLengthByteString() => EndChunks(CborReaderState.EndIndefiniteLengthByteString);

    public void ReadStartIndefiniteLengthTextString() => StartChunks(CborMajorType.TextString, CborReaderState.StartIndefiniteLengthTextString);

    public void ReadEndIndefiniteLengthTextString() => EndChunks(CborReaderState.EndIndefiniteLengthTextString);

    private ReadOnlyMemory<byte> ReadJoined(CborMajorType major)
    {
        var state = PeekState();
        var definite = major == CborMajorType.ByteString ? CborReaderState.ByteString : CborReaderState.TextString;
        if (state == definite)
        {
            return ReadDefiniteStringBytes();
        }

        var start = major == CborMajorType.ByteString ? CborReaderState.StartIndefiniteLengthByteString : CborReaderState.StartIndefiniteLengthTextString;
        ExpectState(start);
        StartChunks(major, start);
        var joined = new List<byte>();
        while (PeekState() == definite)
        {
            joined.AddRange(ReadDefiniteStringBytes().Span);
        }

        EndChunks(major == CborMajorType.ByteString ? CborReaderState.EndIndefiniteLengthByteString : CborReaderState.EndIndefiniteLengthTextString);
        return joined.ToArray();
    }

    private ReadOnlyMemory<byte> ReadDefiniteStringBytes()
    {
        var major = (CborMajorType)(_data.Span[_offset] >> 5);
        var length = ReadHead(major, out _);
        if (length > (ulong)BytesRemaining)
        {
            throw new CborContentException($"A string of {length} bytes at offset {_offset} runs past the end of the data.");
        }

        var bytes = _data.Slice(_offset, (int)length);
        _offset += (int)length;
        if (_frames.TryPeek(out var frame) && frame.Chunked)
        {
            _pendingTags = 0;
        }
        else
        {
            ItemRead();
        }

        return bytes;
    }

    private void StartChunks(CborMajorType major, CborReaderState state)
    {
        ExpectState(state);
        _offset++;
        Push(new Frame(major, null, Chunked: true));
    }

    private void EndChunks(CborReaderState state)
    {
        ExpectState(state);
        _offset++;
        _frames.Pop();
        ItemRead();
    }

    private void ExpectState(CborReaderState expected)
    {
        var state = PeekState();
        if (state != expected)
        {
            throw new InvalidOperationException($"The next item is {state}, not {expected}.");
        }
    }
}

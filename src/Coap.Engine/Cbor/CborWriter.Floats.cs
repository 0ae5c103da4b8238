using System.Buffers.Binary;

namespace System.Formats.Cbor;

/// <summary>Floating-point values and time tags (RFC 8949 §3.3, §3.4.2), in the shortest lossless width.</summary>
public sealed partial class CborWriter
{
    /// <summary>The quiet NaN of RFC 8949 §4.2.2 (0x7e00); .NET's own NaN constants carry the sign bit.</summary>
    private static readonly Half CanonicalNaN = BitConverter.UInt16BitsToHalf(0x7E00);

    public void WriteHalf(Half value)
    {
        Append(0xF9);
        BinaryPrimitives.WriteHalfBigEndian(Reserve(2), value);
        _length += 2;
        ItemWritten();
    }

    /// <summary>Writes as a half when that is exact, else as a single.</summary>
    public void WriteSingle(float value)
    {
        if (CborFloat.FitsHalf(value))
        {
            WriteHalf(float.IsNaN(value) ? CanonicalNaN : (Half)value);
            return;
        }

        Append(0xFA);
        BinaryPrimitives.WriteSingleBigEndian(Reserve(4), value);
        _length += 4;
        ItemWritten();
    }

    /// <summary>Writes as a half or a single when that is exact, else as a double; NaN becomes the half 0x7e00.</summary>
    public void WriteDouble(double value)
    {
        if (CborFloat.FitsSingle(value))
        {
            WriteSingle(double.IsNaN(value) ? float.NaN : (float)value);
            return;
        }

        Append(0xFB);
        BinaryPrimitives.WriteDoubleBigEndian(Reserve(8), value);
        _length += 8;
        ItemWritten();
    }

    /// <summary>Tag 1 with integer seconds since 1970-01-01T00:00Z.</summary>
    public void WriteUnixTimeSeconds(long seconds)
    {
        WriteTag(CborTag.UnixTimeSeconds);
        WriteInt64(seconds);
    }

    /// <summary>Tag 1 with fractional seconds since 1970-01-01T00:00Z.</summary>
    public void WriteUnixTimeSeconds(double seconds)
    {
        if (!double.IsFinite(seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), "Epoch time must be finite (RFC 8949 §3.4.2).");
        }

        WriteTag(CborTag.UnixTimeSeconds);
        WriteDouble(seconds);
    }

    /// <summary>Tag 0 with an RFC 3339 date/time string.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        WriteTag(CborTag.DateTimeString);
        WriteTextString(value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", Globalization.CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", Globalization.CultureInfo.InvariantCulture));
    }
}

using System.Formats.Cbor;
using System.Globalization;
using System.Text;

namespace Services.Time;

/// <summary>
/// Renders an instant: text/plain decimal UNIX seconds, CBOR tag 1 (RFC 8949 §3.4.2), or the RFC 9581 extended
/// time tag 1001 with base seconds (key 1), nanoseconds (key -9) and the TAI time scale (key -1: 1) when asked.
/// </summary>
internal static class TimeRepresentation
{
    private const ulong ExtendedTimeTag = 1001;

    public static byte[] Text(long seconds, long nanoseconds, TimePrecision precision) =>
        Encoding.ASCII.GetBytes(precision == TimePrecision.Seconds
            ? seconds.ToString(CultureInfo.InvariantCulture)
            : $"{seconds.ToString(CultureInfo.InvariantCulture)}.{Fraction(nanoseconds, precision)}");

    public static byte[] Epoch(long seconds, long nanoseconds, TimePrecision precision)
    {
        var writer = new CborWriter();
        if (precision == TimePrecision.Seconds)
        {
            writer.WriteUnixTimeSeconds(seconds);
        }
        else
        {
            writer.WriteUnixTimeSeconds(seconds + (Truncate(nanoseconds, precision) / 1e9));
        }

        return writer.Encode();
    }

    /// <summary>The extended form always carries the clock's full resolution: it is what a client syncing a clock asks for.</summary>
    public static byte[] Extended(long seconds, long nanoseconds, bool tai)
    {
        var fraction = nanoseconds;
        var writer = new CborWriter();
        writer.WriteTag((CborTag)ExtendedTimeTag);
        writer.WriteStartMap(1 + (fraction != 0 ? 1 : 0) + (tai ? 1 : 0));
        writer.WriteInt32(1);
        writer.WriteInt64(seconds);
        if (fraction != 0)
        {
            writer.WriteInt32(-9);
            writer.WriteInt64(fraction);
        }

        if (tai)
        {
            writer.WriteInt32(-1);
            writer.WriteInt32(1);
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    private static long Truncate(long nanoseconds, TimePrecision precision) => precision switch
    {
        TimePrecision.Seconds => 0,
        TimePrecision.Milliseconds => nanoseconds / 1_000_000 * 1_000_000,
        TimePrecision.Microseconds => nanoseconds / 1_000 * 1_000,
        _ => nanoseconds,
    };

    private static string Fraction(long nanoseconds, TimePrecision precision) => precision switch
    {
        TimePrecision.Milliseconds => (nanoseconds / 1_000_000).ToString("D3", CultureInfo.InvariantCulture),
        TimePrecision.Microseconds => (nanoseconds / 1_000).ToString("D6", CultureInfo.InvariantCulture),
        _ => nanoseconds.ToString("D9", CultureInfo.InvariantCulture),
    };
}

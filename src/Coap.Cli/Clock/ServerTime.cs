using System.Formats.Cbor;
using System.Globalization;
using Coap.Engine.Protocol;

namespace Coap.Cli.Clock;

/// <summary>
/// Reads a time server's answer: CBOR tag 1 (integer or float seconds, RFC 8949 §3.4.2), RFC 9581 tag 1001 with
/// seconds (1) and a fraction (-3, -6 or -9), or text/plain decimal UNIX seconds.
/// </summary>
internal static class ServerTime
{
    private const ulong ExtendedTimeTag = 1001;

    public static bool TryRead(CoapMessage response, out DateTimeOffset time, out string error)
    {
        time = default;
        error = string.Empty;
        try
        {
            if (response.ContentFormat == ContentFormat.TextPlain)
            {
                var text = CliConsole.Utf8.GetString(response.Payload.Span).Trim();
                if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                {
                    error = $"the text '{text}' is not a number of UNIX seconds";
                    return false;
                }

                time = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
                return true;
            }

            var reader = new CborReader(response.Payload);
            time = reader.PeekTag() == (CborTag)ExtendedTimeTag ? ReadExtended(reader) : reader.ReadUnixTimeSeconds();
            return true;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or OverflowException or ArgumentOutOfRangeException)
        {
            error = $"the answer is not a CBOR or text time ({e.Message})";
            return false;
        }
    }

    private static DateTimeOffset ReadExtended(CborReader reader)
    {
        reader.ReadTag();
        long seconds = 0;
        long ticks = 0;
        var count = reader.ReadStartMap();
        for (var i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
        {
            var key = reader.ReadInt32();
            switch (key)
            {
                case 1:
                    seconds = reader.ReadInt64();
                    break;
                case -3:
                    ticks = reader.ReadInt64() * TimeSpan.TicksPerMillisecond;
                    break;
                case -6:
                    ticks = reader.ReadInt64() * TimeSpan.TicksPerMicrosecond;
                    break;
                case -9:
                    ticks = reader.ReadInt64() / 100;
                    break;
                default:
                    reader.SkipValue();
                    break;
            }
        }

        reader.ReadEndMap();
        return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks);
    }
}

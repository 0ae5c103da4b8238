using System.Globalization;

namespace Coap.Cli.Output;

/// <summary>A byte count for people: "512 B", "1.5 KiB", "12.3 MiB".</summary>
internal static class ByteCount
{
    public static string Format(long count) => count switch
    {
        >= 1 << 30 => (count / (double)(1 << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1 << 20 => (count / (double)(1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (count / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => count.ToString(CultureInfo.InvariantCulture) + " B",
    };
}

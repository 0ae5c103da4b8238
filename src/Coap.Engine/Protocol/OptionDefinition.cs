namespace Coap.Engine.Protocol;

/// <summary>What the registry says of one option: name, format, length bounds, repeatability (RFC 7252 §5.10).</summary>
public sealed record OptionDefinition(ushort Number, string Name, OptionFormat Format, int MinLength, int MaxLength, bool Repeatable)
{
    private static readonly Dictionary<ushort, OptionDefinition> Registry = Build(
        new(OptionNumber.IfMatch, "If-Match", OptionFormat.Opaque, 0, 8, true),
        new(OptionNumber.UriHost, "Uri-Host", OptionFormat.String, 1, 255, false),
        new(OptionNumber.ETag, "ETag", OptionFormat.Opaque, 1, 8, true),
        new(OptionNumber.IfNoneMatch, "If-None-Match", OptionFormat.Empty, 0, 0, false),
        new(OptionNumber.Observe, "Observe", OptionFormat.UInt, 0, 3, false),
        new(OptionNumber.UriPort, "Uri-Port", OptionFormat.UInt, 0, 2, false),
        new(OptionNumber.LocationPath, "Location-Path", OptionFormat.String, 0, 255, true),
        new(OptionNumber.Oscore, "OSCORE", OptionFormat.Opaque, 0, 255, false),
        new(OptionNumber.UriPath, "Uri-Path", OptionFormat.String, 0, 255, true),
        new(OptionNumber.ContentFormat, "Content-Format", OptionFormat.UInt, 0, 2, false),
        new(OptionNumber.MaxAge, "Max-Age", OptionFormat.UInt, 0, 4, false),
        new(OptionNumber.UriQuery, "Uri-Query", OptionFormat.String, 0, 255, true),
        new(OptionNumber.HopLimit, "Hop-Limit", OptionFormat.UInt, 1, 1, false),
        new(OptionNumber.Accept, "Accept", OptionFormat.UInt, 0, 2, false),
        new(OptionNumber.QBlock1, "Q-Block1", OptionFormat.UInt, 0, 3, false),
        new(OptionNumber.LocationQuery, "Location-Query", OptionFormat.String, 0, 255, true),
        new(OptionNumber.Edhoc, "EDHOC", OptionFormat.Empty, 0, 0, false),
        new(OptionNumber.Block2, "Block2", OptionFormat.UInt, 0, 3, false),
        new(OptionNumber.Block1, "Block1", OptionFormat.UInt, 0, 3, false),
        new(OptionNumber.Size2, "Size2", OptionFormat.UInt, 0, 4, false),
        new(OptionNumber.QBlock2, "Q-Block2", OptionFormat.UInt, 0, 3, true),
        new(OptionNumber.ProxyUri, "Proxy-Uri", OptionFormat.String, 1, 1034, false),
        new(OptionNumber.ProxyScheme, "Proxy-Scheme", OptionFormat.String, 1, 255, false),
        new(OptionNumber.Size1, "Size1", OptionFormat.UInt, 0, 4, false),
        new(OptionNumber.Echo, "Echo", OptionFormat.Opaque, 1, 40, false),
        new(OptionNumber.NoResponse, "No-Response", OptionFormat.UInt, 0, 1, false),
        new(OptionNumber.RequestTag, "Request-Tag", OptionFormat.Opaque, 0, 8, true));

    /// <summary>The definition of a registered option, or null.</summary>
    public static OptionDefinition? Find(int number) =>
        number is >= 0 and <= ushort.MaxValue ? Registry.GetValueOrDefault((ushort)number) : null;

    /// <summary>Every registered option, ordered by number.</summary>
    public static IEnumerable<OptionDefinition> All => Registry.Values.OrderBy(d => d.Number);

    /// <summary>The option's registered name, or "Option N" for an unregistered one.</summary>
    public static string NameOf(int number) => Find(number)?.Name ?? $"Option {number}";

    private static Dictionary<ushort, OptionDefinition> Build(params OptionDefinition[] definitions)
    {
        var table = new Dictionary<ushort, OptionDefinition>(definitions.Length);
        foreach (var d in definitions)
        {
            table.Add(d.Number, d);
        }

        return table;
    }
}

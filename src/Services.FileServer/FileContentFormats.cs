using Coap.Engine.Protocol;

namespace Services.FileServer;

/// <summary>The Content-Format of a file by its extension (RFC 7252 §12.3); application/octet-stream (42) when unknown.</summary>
internal static class FileContentFormats
{
    private static readonly Dictionary<string, int> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = ContentFormat.TextPlain,
        [".text"] = ContentFormat.TextPlain,
        [".md"] = ContentFormat.TextPlain,
        [".log"] = ContentFormat.TextPlain,
        [".csv"] = ContentFormat.TextPlain,
        [".wlnk"] = ContentFormat.LinkFormat,
        [".xml"] = ContentFormat.Xml,
        [".exi"] = ContentFormat.Exi,
        [".json"] = ContentFormat.Json,
        [".cbor"] = ContentFormat.Cbor,
        [".senml"] = ContentFormat.SenmlJson,
    };

    /// <summary>Every Content-Format a file can be served with, the listing's 40 first: the mount's ct in /.well-known/core.</summary>
    public static IReadOnlyList<int> All { get; } = [ContentFormat.LinkFormat, .. ByExtension.Values.Where(f => f != ContentFormat.LinkFormat).Distinct().Order(), ContentFormat.OctetStream];

    public static int For(string name) => ByExtension.GetValueOrDefault(Path.GetExtension(name), ContentFormat.OctetStream);
}

using System.Globalization;
using System.Text;
using Services.FileServer.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Output;

/// <summary>
/// A directory listing as a table, one entry per line in name order: the name (a directory's with a trailing
/// slash), the size right-aligned ("-" for a directory or when unknown), and the type (the Content-Format's name).
/// </summary>
internal static class FileTable
{
    public static string Format(IReadOnlyList<RemoteEntry> entries)
    {
        var rows = entries
            .OrderBy(entry => entry.Name, StringComparer.Ordinal)
            .Select(entry => (Name: entry.IsDirectory ? entry.Name + "/" : entry.Name, Size: Size(entry), Type: Type(entry)))
            .ToList();
        var nameWidth = rows.Count == 0 ? 0 : rows.Max(row => row.Name.Length);
        var sizeWidth = rows.Count == 0 ? 0 : rows.Max(row => row.Size.Length);
        var text = new StringBuilder();
        foreach (var (name, size, type) in rows)
        {
            text.Append(name.PadRight(nameWidth)).Append("  ").Append(size.PadLeft(sizeWidth)).Append("  ").Append(type).Append('\n');
        }

        return text.ToString();
    }

    private static string Size(RemoteEntry entry) =>
        entry.IsDirectory || entry.Size is not { } size ? "-" : size.ToString(CultureInfo.InvariantCulture);

    private static string Type(RemoteEntry entry) => entry switch
    {
        { IsDirectory: true } => "directory",
        { ContentFormat: { } format } => ContentFormat.NameOf(format) ?? format.ToString(CultureInfo.InvariantCulture),
        _ => "file",
    };
}

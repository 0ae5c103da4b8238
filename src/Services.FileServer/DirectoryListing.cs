using System.Formats.Cbor;
using System.Text;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;
using Services.FileServer.FileSystem;

namespace Services.FileServer;

/// <summary>
/// A directory as CoRE Link Format (RFC 6690, Content-Format 40): <c>&lt;name&gt;;ct=N;sz=S</c> for a file and
/// <c>&lt;name/&gt;;ct=40</c> for a directory, relative references with the name percent-encoded, sorted by name.
/// Hidden entries, special files and links that lead outside the root or nowhere are left out. The ETag is FNV-1a 64
/// over the names, kinds and ETags of the entries, so it changes when an entry is added, removed, renamed or changed;
/// every empty directory has the same ETag (<see cref="EmptyTag"/>), which lets a client ask "only if empty".
/// With <c>cbor</c> the same entries are a CBOR array of maps (Content-Format 60, RFC 8949): "name" (text), "type"
/// ("file" or "dir"), "size" (files only), "mtime" (UNIX seconds) and "etag" (the entry's 8-byte ETag); its ETag is
/// the link-format one hashed once more with 60, so the two representations never share an ETag.
/// </summary>
internal sealed record DirectoryListing(byte[] Payload, byte[] Tag)
{
    /// <summary>The ETag of an empty directory.</summary>
    public static byte[] EmptyTag => new TagHash().ToTag();

    public static DirectoryListing Read(FileRoot root, string directory, bool cbor = false)
    {
        var entries = new List<(string Name, FileStat Stat)>();
        var hides = false;
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.'))
            {
                hides |= !TempFile.IsTempName(name);
                continue;
            }

            var entry = root.ResolveEntry(directory, name);
            if (entry.Outcome == PathOutcome.Found)
            {
                entries.Add((name, entry.Stat));
            }
            else if (entry.Outcome is PathOutcome.Special or PathOutcome.Outside)
            {
                hides = true;
            }
        }

        entries.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var links = Links(entries, hides);
        return cbor ? Cbor(entries, links.Tag) : links;
    }

    private static DirectoryListing Cbor(List<(string Name, FileStat Stat)> entries, byte[] linkFormatTag)
    {
        var writer = new CborWriter();
        writer.WriteStartArray(entries.Count);
        foreach (var (name, stat) in entries)
        {
            var file = stat.Kind == FileKind.File;
            writer.WriteStartMap(file ? 5 : 4);
            writer.WriteTextString("name");
            writer.WriteTextString(name);
            writer.WriteTextString("type");
            writer.WriteTextString(file ? "file" : "dir");
            if (file)
            {
                writer.WriteTextString("size");
                writer.WriteInt64(stat.Size);
            }

            writer.WriteTextString("mtime");
            writer.WriteInt64(stat.MtimeSeconds);
            writer.WriteTextString("etag");
            writer.WriteByteString(stat.EntityTag());
            writer.WriteEndMap();
        }

        writer.WriteEndArray();
        var hash = new TagHash();
        hash.Add(linkFormatTag);
        hash.Add((ulong)ContentFormat.Cbor);
        return new DirectoryListing(writer.Encode(), hash.ToTag());
    }

    /// <param name="entries">What the listing shows.</param>
    /// <param name="hides">
    /// Whether the directory also holds what it does not show (hidden names, special files, links out of the root):
    /// then the ETag is not <see cref="EmptyTag"/> even when nothing is shown, so "delete only if empty" cannot match.
    /// </param>
    private static DirectoryListing Links(List<(string Name, FileStat Stat)> entries, bool hides)
    {
        var text = new StringBuilder();
        var hash = new TagHash();
        if (hides)
        {
            hash.Add("hidden entries");
        }

        foreach (var (name, stat) in entries)
        {
            var directoryEntry = stat.Kind == FileKind.Directory;
            var link = new WebLink(Uri.EscapeDataString(name) + (directoryEntry ? "/" : string.Empty));
            if (directoryEntry)
            {
                link.Add("ct", ContentFormat.LinkFormat);
            }
            else
            {
                link.Add("ct", FileContentFormats.For(name)).Add("sz", stat.Size);
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            LinkFormatWriter.Write(link, text);
            hash.Add(name);
            hash.Add(directoryEntry ? 1UL : 0UL);
            hash.Add(stat.EntityTag());
        }

        return new DirectoryListing(Encoding.UTF8.GetBytes(text.ToString()), hash.ToTag());
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;

namespace Services.FileServer.Client;

public sealed partial class CoapFileClient
{
    /// <summary>No entry has more attributes than this; the file service sends two (ct, sz).</summary>
    private const int MaxLinkAttributes = 16;

    /// <summary>
    /// Lists a directory (a trailing slash is added if missing) with the listing's ETag and Max-Age: GET, fetched
    /// block by block whole (as a file is read: every block must carry block 0's ETag, else 4.12). With
    /// <paramref name="details"/> it asks for the CBOR listing (Accept: 60), whose entries also carry their
    /// modification time and ETag; otherwise link-format (RFC 6690), whose ETag is the one a DELETE with If-Match
    /// compares (the file service gives every empty directory the same one). Entries come in the server's order; a
    /// name that is not a plain name once percent-decoded (<see cref="RemoteName"/>) is left out and listed in
    /// <see cref="RemoteListing.Refused"/>; a listed size is kept only when a block-wise transfer could carry it
    /// (<see cref="RemoteEntry.MaxSize"/>). A listing that is not link-format (or CBOR), is larger than
    /// <see cref="MaxListingBytes"/> or holds more than <see cref="MaxListingEntries"/> entries is a <see cref="CoapException"/>.
    /// </summary>
    public async Task<RemoteListing> GetListingAsync(CoapUri directory, bool details = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var uri = RemotePath.AsDirectory(directory);
        var body = new ArrayBufferWriter<byte>();
        var (first, etag) = await ReadBlocksAsync(
            uri,
            details ? ContentFormat.Cbor : null,
            FileOperation.List,
            MaxListingBytes,
            (block, _) =>
            {
                body.Write(block.Span);
                return ValueTask.CompletedTask;
            },
            null,
            cancellationToken).ConfigureAwait(false);
        var maxAge = TimeSpan.FromSeconds(first.MaxAge ?? 60);
        var entries = details ? DetailedListing.Parse(body.WrittenMemory, uri, MaxListingEntries) : ParseLinks(body.WrittenMemory, uri);
        return new RemoteListing(entries.Entries, etag, maxAge) { Refused = entries.Refused };
    }

    private ListingEntries ParseLinks(ReadOnlyMemory<byte> body, CoapUri uri)
    {
        var text = Encoding.UTF8.GetString(body.Span);
        if (!LinkFormatParser.TryParse(text, MaxListingEntries, MaxLinkAttributes, out var links, out var error))
        {
            throw links.Count == MaxListingEntries
                ? ListingEntries.TooMany(uri, MaxListingEntries)
                : new CoapException($"The listing of {uri} is not link-format (RFC 6690): {error}");
        }

        var entries = new ListingEntries();
        foreach (var link in links)
        {
            AddEntry(entries, link, uri);
        }

        return entries;
    }

    /// <summary>
    /// What a file or directory is, for the price of one small GET: block 0 with 16-byte blocks (RFC 7959 §2.4 early
    /// negotiation), whose response carries Size2 (§4) and the ETag. Chosen over the parent's listing because it also
    /// gives the ETag, which a listing does not, and costs the same single round trip whatever the directory's size.
    /// </summary>
    public async Task<RemoteFileInfo> StatAsync(CoapUri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var request = Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Set(new BlockValue(0, false, 0).ToOption(OptionNumber.Block2));
        var response = await SendAsync(request, uri, null, cancellationToken).ConfigureAwait(false);
        var (_, etag) = Success(response, FileOperation.Read, uri);
        long? size = response.Options.GetUInt(OptionNumber.Size2);
        if (size is null && (!TryGetBlock(response, out var block) || !block.More))
        {
            size = response.Payload.Length;
        }

        return new RemoteFileInfo(RemotePath.IsDirectory(uri), size, etag, response.ContentFormat);
    }

    /// <summary>
    /// A link as an entry: its target decoded, so that an encoded slash or dot is seen as what it is. A target that is
    /// an absolute path (aiocoap-fileserver lists <c>&lt;/dir/name&gt;</c>) counts when it names a child of the listed
    /// directory; any other is refused like a name with a slash.
    /// </summary>
    private static void AddEntry(ListingEntries entries, WebLink link, CoapUri directory)
    {
        var target = link.Target;
        var isDirectory = target.EndsWith('/');
        var raw = isDirectory ? target[..^1] : target;
        if (raw.StartsWith("./", StringComparison.Ordinal))
        {
            raw = raw[2..];
        }
        else if (raw.StartsWith('/'))
        {
            raw = ChildSegment(raw, directory);
        }

        if (!PercentEncoding.TryDecode(raw, out var name, out _))
        {
            entries.Refuse(RemoteName.Shown(raw), "a link target that is not percent-encoded correctly");
            return;
        }

        var format = Number(link.GetAttribute("ct")) is { } ct and <= ushort.MaxValue ? (int)ct : (int?)null;
        entries.Add(new RemoteEntry(name, isDirectory, Number(link.GetAttribute("sz")), format));
    }

    /// <summary>The last segment of an absolute path whose other segments are the directory's, else the path as it is.</summary>
    private static string ChildSegment(string absolutePath, CoapUri directory)
    {
        var segments = absolutePath[1..].Split('/');
        var parent = Math.Max(directory.PathSegments.Count - 1, 0);
        if (segments.Length != parent + 1)
        {
            return absolutePath;
        }

        for (var i = 0; i < parent; i++)
        {
            if (!PercentEncoding.TryDecode(segments[i], out var segment, out _) || segment != directory.PathSegments[i])
            {
                return absolutePath;
            }
        }

        return segments[^1];
    }

    private static long? Number(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static bool TryGetBlock(CoapMessage response, out BlockValue block)
    {
        block = default;
        return response.Options.TryGet(OptionNumber.Block2, out var option) && BlockValue.TryDecode(option.Value.Span, out block);
    }
}

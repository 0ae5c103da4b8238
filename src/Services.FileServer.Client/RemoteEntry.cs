namespace Services.FileServer.Client;

/// <summary>
/// One entry of a directory listing: a link of the file service's link-format answer (RFC 6690), <c>&lt;name&gt;</c>
/// with <c>ct</c> and <c>sz</c> for a file, <c>&lt;name/&gt;</c> for a directory; or a map of its CBOR answer, which
/// also carries the modification time and the entry's ETag.
/// </summary>
/// <param name="Name">The percent-decoded name, without a trailing slash.</param>
/// <param name="IsDirectory">Whether the link's target ends with a slash.</param>
/// <param name="Size">The <c>sz</c> attribute (bytes), when the server sent one no larger than <see cref="MaxSize"/>.</param>
/// <param name="ContentFormat">The <c>ct</c> attribute, when the server sent one.</param>
public sealed record RemoteEntry(string Name, bool IsDirectory, long? Size, int? ContentFormat)
{
    /// <summary>
    /// The most bytes a file can have that a client reads over CoAP: 2^20 blocks of 1024 bytes (RFC 7959 §2.2, a
    /// 20-bit block number), 1 GiB. A listed size above it is not believed.
    /// </summary>
    public const long MaxSize = (Coap.Engine.Protocol.BlockValue.MaxNumber + 1L) * 1024;

    /// <summary>The last modification, from a detailed (CBOR) listing's <c>mtime</c>.</summary>
    public DateTimeOffset? Modified { get; init; }

    /// <summary>The entry's own ETag, from a detailed (CBOR) listing's <c>etag</c>.</summary>
    public FileETag? ETag { get; init; }
}

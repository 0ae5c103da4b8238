namespace Services.FileServer.Client;

/// <summary>What <see cref="CoapFileClient.StatAsync"/> learns of a file or directory.</summary>
/// <param name="IsDirectory">Whether the URI names a directory (ends with a slash).</param>
/// <param name="Size">The representation's length from Size2 (RFC 7959 §4), when the server sent it.</param>
/// <param name="ETag">The current ETag, when the server sent one.</param>
/// <param name="ContentFormat">The Content-Format of the representation.</param>
public sealed record RemoteFileInfo(bool IsDirectory, long? Size, FileETag? ETag, int? ContentFormat);

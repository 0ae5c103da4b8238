namespace Services.FileServer.Client;

/// <summary>What <see cref="CoapFileClient.GetListingAsync"/> learns of a directory.</summary>
/// <param name="Entries">The entries in the server's order, only those whose names <see cref="RemoteName"/> accepts.</param>
/// <param name="ETag">The listing's ETag: it changes when an entry is added, removed or changed.</param>
/// <param name="MaxAge">How long the listing may be used without asking again (Max-Age, 60 s when absent; RFC 7252 §5.10.5).</param>
public sealed record RemoteListing(IReadOnlyList<RemoteEntry> Entries, FileETag? ETag, TimeSpan MaxAge)
{
    /// <summary>The listed names left out of <see cref="Entries"/> because they are not plain names, in the server's order.</summary>
    public IReadOnlyList<RefusedName> Refused { get; init; } = [];
}

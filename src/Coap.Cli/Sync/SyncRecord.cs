using Services.FileServer.Client;

namespace Coap.Cli.Sync;

/// <summary>
/// What a file looked like when it was last in step with the server: its ETag there, and its length and
/// modification time here.
/// </summary>
internal sealed record SyncRecord(FileETag ETag, long Size, long ModifiedTicks)
{
    /// <summary>Whether the local file still has the length and modification time it had after the last sync.</summary>
    public bool Matches(FileInfo local) =>
        local.Exists && local.Length == Size && local.LastWriteTimeUtc.Ticks == ModifiedTicks;

    public static SyncRecord Of(FileETag etag, FileInfo local)
    {
        local.Refresh();
        return new SyncRecord(etag, local.Length, local.LastWriteTimeUtc.Ticks);
    }
}

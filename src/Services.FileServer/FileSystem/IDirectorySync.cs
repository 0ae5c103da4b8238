namespace Services.FileServer.FileSystem;

/// <summary>
/// Makes a directory's entries durable: the file service calls it on the parent after every rename, mkdir and delete,
/// before it answers. The one seam for it, so that a test can see which directory was synced and when.
/// </summary>
internal interface IDirectorySync
{
    void Flush(string directory);
}

using Coap.Engine.Hosting;

namespace Services.PubSub.State;

/// <summary>
/// The real <see cref="IDiskSync"/>: fsync of the file; for several files syncfs(2) of the file system holding them
/// (Linux; one call flushes them all, elsewhere each is opened and flushed); fsync of the directory (Linux; elsewhere
/// nothing, as .NET opens no directory).
/// </summary>
internal sealed class DiskSync : IDiskSync
{
    public void File(FileStream file) => DirectorySync.FlushFile(file);

    public void Files(string directory, IReadOnlyList<string> paths)
    {
        if (OperatingSystem.IsLinux())
        {
            DirectorySync.FlushFileSystem(directory);
            return;
        }

        foreach (var path in paths)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            DirectorySync.FlushFile(file);
        }
    }

    public void Directory(string directory) => DirectorySync.Flush(directory);
}

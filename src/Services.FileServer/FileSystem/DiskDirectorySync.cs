using Coap.Engine.Hosting;

namespace Services.FileServer.FileSystem;

/// <summary>fsync(2) of the directory (<see cref="DirectorySync"/>); an <see cref="IOException"/> when it fails.</summary>
internal sealed class DiskDirectorySync : IDirectorySync
{
    public void Flush(string directory) => DirectorySync.Flush(directory);
}

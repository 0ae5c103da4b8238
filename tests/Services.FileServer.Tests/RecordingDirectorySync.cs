using System.Collections.Concurrent;
using Services.FileServer.FileSystem;

namespace Services.FileServer.Tests;

/// <summary>
/// Stands in for the fsync of a directory: records each flush with what the directory held at that moment (names joined by spaces) and how
/// many datagrams the server had sent by then, then flushes for real.
/// </summary>
internal sealed class RecordingDirectorySync : IDirectorySync
{
    public ConcurrentQueue<(string Directory, string Entries, int Sent)> Flushes { get; } = new();

    /// <summary>How many datagrams the server has sent and the test not yet taken; set once the server runs.</summary>
    public Func<int> Sent { get; set; } = () => 0;

    public void Flush(string directory)
    {
        var entries = string.Join(' ', Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Flushes.Enqueue((directory, entries, Sent()));
        new DiskDirectorySync().Flush(directory);
    }
}

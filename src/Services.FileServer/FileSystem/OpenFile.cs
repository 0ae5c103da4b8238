using Microsoft.Win32.SafeHandles;

namespace Services.FileServer.FileSystem;

/// <summary>A file kept open by <see cref="OpenFileCache"/>: its entry's path, the handle, the status and ETag it was opened with.</summary>
internal sealed class OpenFile(string entry, SafeFileHandle handle, FileStat stat, byte[] tag)
{
    public string Entry { get; } = entry;

    public SafeFileHandle Handle { get; } = handle;

    public FileStat Stat { get; } = stat;

    public byte[] Tag { get; } = tag;

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> of the last use.</summary>
    public long LastUsed { get; set; }
}

using System.Runtime.InteropServices;
using Coap.Engine.Transport;

namespace Coap.Engine.Hosting;

/// <summary>
/// fsync(2) of a directory, which .NET does not offer (it opens no directory as a file): a rename, a move or a
/// deletion is an entry in the directory, and only syncing the directory makes it survive a crash or power loss.
/// Also syncfs(2) of the file system a directory is on, which flushes every file written there in one call (the
/// pub-sub's group commit). Linux only (the open flags are Linux's); elsewhere a no-op. Shared by the services that
/// promise durability (the pub-sub state store, the file service), which may not reference each other. A blocking
/// call: run it inside a request's handler or background work, never on a transport's receive thread. Before it
/// blocks, what the calling thread holds in its send batch goes out (a request worker keeps the answers of a run of
/// requests until the run ends, see <c>SendBatch</c>): a flush to disk never holds up another request's answer.
/// </summary>
public static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>Flushes a file's data to the disk (fsync), after the thread's waiting datagrams went out.</summary>
    public static void FlushFile(FileStream file)
    {
        SendBatch.FlushCurrent();
        file.Flush(flushToDisk: true);
    }

    /// <summary>Flushes the entries of <paramref name="directory"/> to the disk; an <see cref="IOException"/> naming the call and the error when that fails.</summary>
    public static void Flush(string directory) => Sync(directory, fileSystem: false);

    /// <summary>Flushes everything written on the file system holding <paramref name="directory"/> (syncfs).</summary>
    public static void FlushFileSystem(string directory) => Sync(directory, fileSystem: true);

    private static void Sync(string directory, bool fileSystem)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        SendBatch.FlushCurrent();
        var descriptor = Open(directory, ReadOnly | CloseOnExec);
        if (descriptor < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if ((fileSystem ? Syncfs(descriptor) : Fsync(descriptor)) != 0)
            {
                throw Failure(fileSystem ? "syncfs" : "fsync", directory);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static IOException Failure(string call, string directory) =>
        new($"{call}({directory}) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int Syncfs(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}

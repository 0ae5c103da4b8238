using System.Collections.Concurrent;
using Coap.Engine.Client;
using Services.FileServer.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Mount;

/// <summary>
/// The remote tree as a file system, in the terms libfuse calls it with (paths below the mount point, "/" its root),
/// built on <see cref="CoapFileClient"/>. Each method answers 0 (or a byte count) or -errno; the file service's
/// errors arrive as exceptions that the callback layer maps with <see cref="Errno"/>. Calls come from libfuse's
/// worker threads, several at a time, and block on the CoAP exchanges they make.
/// </summary>
internal sealed partial class RemoteFileSystem : IDisposable
{
    private const int O_ACCMODE = 3;
    private const int O_TRUNC = 0x200;

    private readonly CoapFileClient _files;
    private readonly string _root;
    private readonly bool _readOnly;
    private readonly MountLog _log;
    private readonly ListingCache _cache;
    private readonly ConcurrentDictionary<ulong, OpenFile> _handles = new();
    private readonly DateTimeOffset _mounted = DateTimeOffset.UtcNow;
    private readonly CancellationTokenSource _stop = new();
    private long _lastHandle;

    public RemoteFileSystem(CoapFileClient files, CoapUri root, bool readOnly, TimeSpan cacheTimeout, MountLog log)
    {
        _files = files;
        _root = RemotePath.AsDirectory(root).ToString();
        _readOnly = readOnly;
        _log = log;
        _cache = new ListingCache(cacheTimeout, TimeProvider.System);
    }

    /// <summary>Checks that the root is a listable directory: the mount fails up front rather than on the first ls.</summary>
    public void CheckRoot() => Wait(_files.GetListingAsync(DirectoryUri("/"), details: true, _stop.Token));

    public int GetAttributes(string path, ulong handle, out EntryAttributes attributes)
    {
        attributes = default;
        if (handle != 0 && _handles.TryGetValue(handle, out var open))
        {
            attributes = new EntryAttributes(false, open.Size, DateTimeOffset.UtcNow);
            return 0;
        }

        if (path == "/")
        {
            attributes = new EntryAttributes(true, 0, _mounted);
            return 0;
        }

        var (parent, name) = Split(path);
        if (!Listing(parent).TryGetValue(name, out var entry))
        {
            return -Errno.ENOENT;
        }

        attributes = new EntryAttributes(entry.IsDirectory, entry.Size ?? 0, entry.Modified ?? _mounted);
        if (!entry.IsDirectory && BufferedSize(path) is { } size)
        {
            attributes = attributes with { Size = size };
        }

        return 0;
    }

    public int ReadDirectory(string path, out List<(string Name, EntryAttributes Attributes)> entries)
    {
        var listing = Listing(path);
        entries = new List<(string, EntryAttributes)>(listing.Count);
        foreach (var entry in listing.Values)
        {
            entries.Add((entry.Name, new EntryAttributes(entry.IsDirectory, entry.Size ?? 0, entry.Modified ?? _mounted)));
        }

        entries.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return 0;
    }

    public int MakeDirectory(string path)
    {
        if (_readOnly)
        {
            return -Errno.EROFS;
        }

        var created = Wait(_files.CreateDirectoryAsync(DirectoryUri(path), _stop.Token));
        _cache.Invalidate(Split(path).Parent);
        return created ? 0 : -Errno.EEXIST;
    }

    /// <summary>
    /// rmdir: only an empty directory goes. The listing must be empty (names the file client refused count: they are
    /// there on the server, only not shown), and the DELETE carries If-Match with that empty
    /// listing's ETag, so a file created meanwhile makes it 4.12 — ENOTEMPTY — instead of a recursive delete.
    /// </summary>
    public int RemoveDirectory(string path)
    {
        if (_readOnly)
        {
            return -Errno.EROFS;
        }

        var uri = DirectoryUri(path);
        var listing = Wait(_files.GetListingAsync(uri, details: false, _stop.Token));
        if (listing.Entries.Count > 0 || listing.Refused.Count > 0)
        {
            return -Errno.ENOTEMPTY;
        }

        if (listing.ETag is null)
        {
            _log.Write($"rmdir {path}: the server sent no ETag for the listing, so it cannot be removed only-if-empty; refused");
            return -Errno.EIO;
        }

        try
        {
            Wait(_files.DeleteAsync(uri, listing.ETag, _stop.Token));
        }
        catch (CoapFileException error) when (error.Code == CoapCode.PreconditionFailed)
        {
            return -Errno.ENOTEMPTY;
        }
        finally
        {
            _cache.Invalidate(Split(path).Parent);
            _cache.Invalidate(path);
        }

        return 0;
    }

    public int Unlink(string path)
    {
        if (_readOnly)
        {
            return -Errno.EROFS;
        }

        try
        {
            Wait(_files.DeleteAsync(FileUri(path), null, _stop.Token));
        }
        finally
        {
            _cache.Invalidate(Split(path).Parent);
        }

        return 0;
    }

    /// <summary>Ends the observation and any exchange still waiting; calls after this fail with EIO.</summary>
    public void StopWatching() => _stop.Cancel();

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private Dictionary<string, RemoteEntry> Listing(string directory) =>
        _cache.Get(directory, () => LogRefused(directory, Wait(_files.GetListingAsync(DirectoryUri(directory), details: true, _stop.Token))));

    /// <summary>Logs the names the file client left out of a listing: they are not shown in the mount.</summary>
    private RemoteListing LogRefused(string directory, RemoteListing listing)
    {
        foreach (var refused in listing.Refused)
        {
            _log.Write($"{directory}: {refused.Shown} not shown: the server listed {refused.Reason}");
        }

        return listing;
    }

    private long? BufferedSize(string path)
    {
        foreach (var (_, open) in _handles)
        {
            if (open.Path == path && open.Content is not null)
            {
                return open.Size;
            }
        }

        return null;
    }

    private CoapUri FileUri(string path) => CoapUri.Parse(_root + Encode(path));

    private CoapUri DirectoryUri(string path) => path == "/" ? CoapUri.Parse(_root) : CoapUri.Parse(_root + Encode(path) + "/");

    private static string Encode(string path) => string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));

    private static (string Parent, string Name) Split(string path)
    {
        var slash = path.LastIndexOf('/');
        return (slash <= 0 ? "/" : path[..slash], path[(slash + 1)..]);
    }

    /// <summary>Waits for a CoAP exchange on a libfuse worker thread (not a pool thread: blocking it starves nothing).</summary>
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();
}

using Coap.Engine.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Services.FileServer.FileSystem;

/// <summary>
/// The files read lately, kept open so that the blocks of one transfer do not each resolve the path, open, stat and
/// close the file again. An entry is used only while the entry's path still shows the very status it was opened with
/// (one statx, not following links): a rewrite changes the mtime and an atomic replace the inode, so a changed file
/// is opened afresh. Files reached through a link are never kept. Entries idle for <see cref="IdleLimit"/> are
/// closed, so a deleted file's space is not held for long.
/// </summary>
internal sealed class OpenFileCache : IDisposable
{
    /// <summary>How many files stay open at most.</summary>
    public const int Capacity = 32;

    /// <summary>How long an unused entry stays open.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, OpenFile> _files = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;

    public OpenFileCache(TimeProvider time, ILogger logger)
    {
        _time = time;
        _sweeper = time.CreateTimer(logger, "closing idle open files", Sweep, IdleLimit, IdleLimit);
    }

    /// <summary>How many files are open now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _files.Count;
            }
        }
    }

    /// <summary>
    /// The open file for <paramref name="key"/> when its path still shows the status it was opened with; the handle is
    /// referenced until the lease is disposed, so closing the entry meanwhile cannot pull it from under a read.
    /// </summary>
    public bool TryRent(string key, out OpenFileLease lease)
    {
        lease = default;
        OpenFile? file;
        lock (_gate)
        {
            if (!_files.TryGetValue(key, out file))
            {
                return false;
            }

            // Under the lock: a handle is disposed only after it has left the table, so this one is still open.
            var added = false;
            file.Handle.DangerousAddRef(ref added);
        }

        if (!Native.TryStat(file.Entry, false, out var now) || now != file.Stat)
        {
            file.Handle.DangerousRelease();
            Remove(key, file);
            return false;
        }

        file.LastUsed = _time.GetTimestamp();
        lease = new OpenFileLease(file);
        return true;
    }

    /// <summary>Keeps <paramref name="handle"/> open for later requests; the cache owns it from now on.</summary>
    public void Add(string key, string entry, SafeFileHandle handle, FileStat stat, byte[] tag)
    {
        var file = new OpenFile(entry, handle, stat, tag) { LastUsed = _time.GetTimestamp() };
        OpenFile? replaced;
        lock (_gate)
        {
            if (_files.Count >= Capacity && !_files.ContainsKey(key))
            {
                CloseOldest();
            }

            _files.TryGetValue(key, out replaced);
            _files[key] = file;
        }

        replaced?.Handle.Dispose();
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        lock (_gate)
        {
            foreach (var file in _files.Values)
            {
                file.Handle.Dispose();
            }

            _files.Clear();
        }
    }

    private void Remove(string key, OpenFile file)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(key, out var current) || current != file)
            {
                return;
            }

            _files.Remove(key);
        }

        file.Handle.Dispose();
    }

    private void CloseOldest()
    {
        var oldest = default(KeyValuePair<string, OpenFile>);
        foreach (var entry in _files)
        {
            if (oldest.Value is null || entry.Value.LastUsed < oldest.Value.LastUsed)
            {
                oldest = entry;
            }
        }

        _files.Remove(oldest.Key);
        oldest.Value.Handle.Dispose();
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (var (key, file) in _files)
            {
                if (_time.GetElapsedTime(file.LastUsed, now) >= IdleLimit)
                {
                    _files.Remove(key);
                    file.Handle.Dispose();
                }
            }
        }
    }
}

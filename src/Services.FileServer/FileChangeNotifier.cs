using Coap.Engine.Hosting;
using Coap.Engine.Observe;
using Microsoft.Extensions.Logging;
using Services.FileServer.FileSystem;

namespace Services.FileServer;

/// <summary>
/// Tells the file service's observers (RFC 7641) that something below the root changed: a FileSystemWatcher over the
/// whole tree, started with the first observation, and the service's own writes. Changes are coalesced: the first
/// one arms a timer of <see cref="Delay"/> and every change until it fires folds into one notification round, so a
/// burst of writes yields few notifications. Upload temp files are not changes anyone can see, so they are ignored.
/// </summary>
internal sealed class FileChangeNotifier : IDisposable
{
    /// <summary>How long changes are gathered before observers are notified.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(250);

    private readonly ResourceObservers _observers;
    private readonly string _root;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private FileSystemWatcher? _watcher;
    private bool _armed;

    public FileChangeNotifier(ResourceObservers observers, string root, TimeProvider time, ILogger logger)
    {
        _observers = observers;
        _root = root;
        _logger = logger;
        _timer = time.CreateTimer(logger, "notifying the file service's observers", Fire, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts watching the tree, once. Without inotify watches left only the service's own writes notify.</summary>
    public void EnsureWatching()
    {
        lock (_gate)
        {
            if (_watcher is not null)
            {
                return;
            }

            var watcher = new FileSystemWatcher(_root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
            };
            watcher.Changed += OnChanged;
            watcher.Created += OnChanged;
            watcher.Deleted += OnChanged;
            watcher.Renamed += OnChanged;
            try
            {
                watcher.EnableRaisingEvents = true;
            }
            catch (IOException)
            {
                watcher.Dispose();
                return;
            }

            _watcher = watcher;
        }
    }

    /// <summary>Something changed: notify the observers after <see cref="Delay"/>, together with whatever else changes meanwhile.</summary>
    public void Changed()
    {
        if (_observers.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_armed)
            {
                return;
            }

            _armed = true;
            _timer.Change(Delay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
        }

        _timer.Dispose();
    }

    /// <remarks>Raised on a thread of the watcher's own, where an exception would end the process.</remarks>
    private void OnChanged(object sender, FileSystemEventArgs change)
    {
        try
        {
            if (!TempFile.IsTempName(Path.GetFileName(change.FullPath)))
            {
                Changed();
            }
        }
        catch (Exception error)
        {
            BackgroundWork.Report(_logger, error, "taking a file system change");
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            _armed = false;
        }

        _observers.NotifyChanged();
    }
}

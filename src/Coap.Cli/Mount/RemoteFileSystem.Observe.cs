using Coap.Engine.Client;

namespace Coap.Cli.Mount;

/// <summary>
/// Observe (RFC 7641) on the mounted directory: the file service notifies its observers when anything below its root
/// changes, and every notification drops the cached listings, so other clients' changes show at once rather than
/// when the cache times out.
/// </summary>
internal sealed partial class RemoteFileSystem
{
    /// <summary>Runs until the mount ends; a server that does not notify leaves the caches to their timeout.</summary>
    public async Task WatchAsync()
    {
        try
        {
            await foreach (var notification in _files.ObserveAsync(DirectoryUri("/"), _stop.Token).ConfigureAwait(false))
            {
                _cache.Clear();
            }

            _log.Write("the server ended the observation of the mounted directory; listings are cached until they time out");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The mount is ending.
        }
        catch (Exception error) when (error is CoapException or IOException)
        {
            _log.Write($"cannot observe the mounted directory ({error.Message}); listings are cached until they time out");
        }
    }
}

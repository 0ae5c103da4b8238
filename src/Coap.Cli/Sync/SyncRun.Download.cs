using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Sync;

internal sealed partial class SyncRun
{
    /// <summary>
    /// Downloads a remote directory into a local one. A file is skipped when the server's copy still has the ETag
    /// recorded at the last sync (a GET with that ETag answered 2.03 Valid, asked only when the listed size is the recorded one). A local file changed since
    /// the last sync is never overwritten by a changed remote one: that is reported as a conflict. Each file arrives in
    /// a temporary file next to it and is renamed over it when complete. Nothing is written outside
    /// <paramref name="local"/>: a listed name that is not a plain name is refused by the file client, and every
    /// local path is checked again to lie below <paramref name="local"/>. The walk ends: a directory more than
    /// <see cref="MaxDepth"/> levels down (a server that lists a directory inside itself, forever) is refused and
    /// not entered, and a subdirectory whose listing fails or is not one (a "directory" that answers as a file, a
    /// listing over the client's limits, a 4.xx) is reported and counted while the walk goes on.
    /// </summary>
    public Task DownloadTreeAsync(CoapUri remote, DirectoryInfo local, CancellationToken cancellationToken) =>
        DownloadAsync(remote, Path.EndsInDirectorySeparator(local.FullName) ? local.FullName : local.FullName + Path.DirectorySeparatorChar, string.Empty, 0, cancellationToken);

    private async Task DownloadAsync(CoapUri remote, string top, string prefix, int depth, CancellationToken cancellationToken)
    {
        var entries = await ListAsync(remote, prefix, cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries.OrderBy(entry => entry.IsDirectory).ThenBy(entry => entry.Name, StringComparer.Ordinal))
        {
            if (IsOwnFile(entry.Name, prefix))
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(top, prefix + entry.Name));
            if (!path.StartsWith(top, StringComparison.Ordinal) || path.Length == top.Length)
            {
                Refuse(prefix, new RefusedName(RemoteName.Shown(entry.Name), "a name whose local path would be outside the target directory"));
                continue;
            }

            if (!entry.IsDirectory)
            {
                await DownloadFileAsync(RemotePath.Child(remote, entry.Name, isDirectory: false), entry, new FileInfo(path), prefix + entry.Name, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var relative = prefix + entry.Name + "/";
            if (depth == MaxDepth)
            {
                Refuse(prefix, new RefusedName(RemoteName.Shown(entry.Name) + "/", $"a directory more than {MaxDepth} levels below the top, not entered (a server that lists a directory inside itself would never end)"));
                continue;
            }

            if (File.Exists(path))
            {
                Fail(relative, "a local file of that name is in the way; not replaced by a directory", ExitCode.Usage);
                continue;
            }

            if (!Directory.Exists(path))
            {
                if (!dryRun)
                {
                    Directory.CreateDirectory(path);
                }

                _directories++;
                await ReportAsync("create", relative, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await DownloadAsync(RemotePath.Child(remote, entry.Name, isDirectory: true), top, relative, depth + 1, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (IsListingError(error))
            {
                // Only the listing of this directory can fail through here: deeper ones are caught a level further down.
                Fail(relative, error);
            }
        }
    }

    /// <summary>A subdirectory's listing that the server refused or that the client does not take; no answer at all ends the sync.</summary>
    private static bool IsListingError(Exception error) =>
        error is CoapFileException || (error is CoapException && error is not (CoapTimeoutException or CoapResetException));

    private async Task DownloadFileAsync(CoapUri uri, RemoteEntry entry, FileInfo local, string relative, CancellationToken cancellationToken)
    {
        var record = state.Get(relative);
        var temp = Path.Combine(local.DirectoryName!, $".{local.Name}{PartSuffix}");
        try
        {
            if (local.Exists && record is not null)
            {
                if (entry.Size == record.Size && await files.IsCurrentAsync(uri, record.ETag, cancellationToken).ConfigureAwait(false))
                {
                    _skipped++;
                    return;
                }

                if (!record.Matches(local))
                {
                    Fail(relative, "changed here and on the server since the last sync; not overwritten (move it away, or sync it up first)", ExitCode.ClientError);
                    return;
                }
            }

            if (dryRun)
            {
                Transferred(entry.Size ?? 0);
                await ReportAsync("download", relative, cancellationToken).ConfigureAwait(false);
                return;
            }

            FileETag? etag;
            var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                etag = await TransferAsync(progress => files.ReadAsync(uri, stream, progress, cancellationToken)).ConfigureAwait(false);
            }

            File.Move(temp, local.FullName, overwrite: true);
            if (etag is not null)
            {
                state.Set(relative, SyncRecord.Of(etag, local));
            }

            local.Refresh();
            Transferred(local.Length);
            await ReportAsync("download", relative, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (IsFileError(error))
        {
            Fail(relative, error);
        }
        finally
        {
            if (!dryRun)
            {
                // A dry run never made the directory the temp file would be in.
                File.Delete(temp);
            }
        }
    }
}

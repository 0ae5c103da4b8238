using Coap.Engine.Client;
using Services.FileServer.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Sync;

internal sealed partial class SyncRun
{
    /// <summary>Uploads a local tree into a remote directory, creating that directory first if the server has none.</summary>
    public async Task UploadTreeAsync(DirectoryInfo local, CoapUri remote, CancellationToken cancellationToken)
    {
        var exists = true;
        try
        {
            await files.StatAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch (CoapFileException error) when (error.Code == CoapCode.NotFound)
        {
            exists = false;
            if (!await CreateRemoteDirectoryAsync(remote, "./", cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        await UploadAsync(local, remote, string.Empty, exists, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uploads a local directory into a remote one. A file is skipped when it is on the server and has the length and
    /// modification time recorded after the last sync. Otherwise it is created with If-None-Match, or replaced with
    /// If-Match on the ETag recorded at the last sync (the ETag the server has now on a first sync), so a change made
    /// on the server in between is never overwritten: it fails with 4.12 instead.
    /// </summary>
    private async Task UploadAsync(DirectoryInfo local, CoapUri remote, string prefix, bool remoteExists, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, RemoteEntry>(StringComparer.Ordinal);
        if (remoteExists)
        {
            foreach (var entry in await ListAsync(remote, prefix, cancellationToken).ConfigureAwait(false))
            {
                entries[entry.Name] = entry;
            }
        }

        foreach (var file in local.EnumerateFiles().OrderBy(file => file.Name, StringComparer.Ordinal))
        {
            if (!IsOwnFile(file.Name, prefix))
            {
                await UploadFileAsync(file, remote, prefix + file.Name, entries.GetValueOrDefault(file.Name), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var directory in local.EnumerateDirectories().OrderBy(directory => directory.Name, StringComparer.Ordinal))
        {
            var relative = prefix + directory.Name + "/";
            var entry = entries.GetValueOrDefault(directory.Name);
            if (entry is { IsDirectory: false })
            {
                Fail(relative, "a file of that name is on the server; not replaced by a directory", ExitCode.ClientError);
                continue;
            }

            var uri = RemotePath.Child(remote, directory.Name, isDirectory: true);
            if (entry is null && !await CreateRemoteDirectoryAsync(uri, relative, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            await UploadAsync(directory, uri, relative, remoteExists: entry is not null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> CreateRemoteDirectoryAsync(CoapUri uri, string relative, CancellationToken cancellationToken)
    {
        try
        {
            if (!dryRun)
            {
                await files.CreateDirectoryAsync(uri, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (CoapFileException error)
        {
            Fail(relative, error);
            return false;
        }

        _directories++;
        await ReportAsync("create", relative, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task UploadFileAsync(FileInfo file, CoapUri directory, string relative, RemoteEntry? entry, CancellationToken cancellationToken)
    {
        if (entry is { IsDirectory: true })
        {
            Fail(relative, "a directory of that name is on the server; not replaced by a file", ExitCode.ClientError);
            return;
        }

        var record = state.Get(relative);
        if (entry is not null && record is not null && record.Matches(file))
        {
            _skipped++;
            return;
        }

        if (dryRun)
        {
            Transferred(file.Length);
            await ReportAsync("upload", relative, cancellationToken).ConfigureAwait(false);
            return;
        }

        var uri = RemotePath.Child(directory, file.Name, isDirectory: false);
        try
        {
            var ifMatch = entry is null ? null : record?.ETag ?? (await files.StatAsync(uri, cancellationToken).ConfigureAwait(false)).ETag;
            var content = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            var etag = await TransferAsync(progress => files.WriteAsync(uri, content, ifMatch, ifNoneMatch: entry is null, progress, cancellationToken)).ConfigureAwait(false);
            if (etag is not null)
            {
                // The time from before the read: a change made during the upload is seen as a change next time.
                state.Set(relative, new SyncRecord(etag, content.Length, file.LastWriteTimeUtc.Ticks));
            }

            Transferred(content.Length);
            await ReportAsync("upload", relative, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (IsFileError(error))
        {
            Fail(relative, error);
        }
    }
}

using Coap.Cli.Commands.Files;
using Coap.Cli.Output;
using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Sync;

/// <summary>
/// One <c>coap sync</c>: walks the source tree, transfers what changed since the last sync (<see cref="SyncState"/>),
/// creates missing directories, and counts. A file whose transfer fails is reported on stderr and counted; the walk
/// goes on. A listed name the file client refuses (not a plain name) is reported, counted and skipped. Never deletes
/// anything on the destination.
/// </summary>
internal sealed partial class SyncRun(CliConsole console, CoapFileClient files, SyncState state, bool dryRun)
{
    /// <summary>The suffix of a download in progress; such files are never synced.</summary>
    private const string PartSuffix = ".coap-part";

    /// <summary>How many directory levels below the top a download enters.</summary>
    public const int MaxDepth = 64;

    private int _transferred;
    private int _skipped;
    private int _failed;
    private int _refused;
    private int _directories;
    private long _bytes;
    private int _failureExitCode = ExitCode.Success;

    /// <summary>0 when every file made it and no name was refused; otherwise the exit code of the first failure or refusal.</summary>
    public int Result => _failureExitCode;

    /// <summary>"3 uploaded, 1 skipped, 0 failed, 2 directories created, 12.3 KiB", with "1 refused" after "failed" when a name was.</summary>
    public string Summary(string transferred) =>
        $"{_transferred} {transferred}, {_skipped} skipped, {_failed} failed{(_refused > 0 ? $", {_refused} refused" : string.Empty)}, {_directories} {(_directories == 1 ? "directory" : "directories")} created, {ByteCount.Format(_bytes)}{(dryRun ? " (dry run: nothing was changed)" : string.Empty)}";

    private Task ReportAsync(string action, string relative, CancellationToken cancellationToken) =>
        console.WriteOutputAsync($"{(dryRun ? "would " + action : action + (action.EndsWith('e') ? "d" : "ed"))} {relative}\n", cancellationToken);

    private void Transferred(long length)
    {
        _transferred++;
        _bytes += length;
    }

    private void Fail(string relative, string message, int exitCode)
    {
        _failed++;
        FirstExitCode(exitCode);
        console.ReportError($"{relative}: {message}");
    }

    private void FirstExitCode(int exitCode)
    {
        if (_failureExitCode == ExitCode.Success)
        {
            _failureExitCode = exitCode;
        }
    }

    /// <summary>Lists a remote directory, reporting and counting each name the file client refused.</summary>
    private async Task<IReadOnlyList<RemoteEntry>> ListAsync(CoapUri remote, string prefix, CancellationToken cancellationToken)
    {
        var listing = await files.GetListingAsync(remote, details: false, cancellationToken).ConfigureAwait(false);
        foreach (var refused in listing.Refused)
        {
            Refuse(prefix, refused);
        }

        return listing.Entries;
    }

    private void Refuse(string prefix, RefusedName refused)
    {
        _refused++;
        FirstExitCode(ExitCode.Refused);
        RefusedNames.Report(console, prefix, refused);
    }

    private void Fail(string relative, Exception error)
    {
        switch (error)
        {
            case CoapFileException file:
                Fail(relative, file.Message, FileExitCode.Of(file));
                break;
            case CoapException coap:
                Fail(relative, coap.Message, ExitCode.NoResponse);
                break;
            default:
                Fail(relative, $"local file error: {error.Message}", ExitCode.Usage);
                break;
        }
    }

    /// <summary>Whether a name is sync's own: the state file at the top, or a download in progress anywhere.</summary>
    private static bool IsOwnFile(string name, string prefix) =>
        (prefix.Length == 0 && name == SyncState.FileName) || name.EndsWith(PartSuffix, StringComparison.Ordinal);

    private static bool IsFileError(Exception error) => error is CoapFileException or IOException or UnauthorizedAccessException;

    private async Task<FileETag?> TransferAsync(Func<IProgress<TransferProgress>, Task<FileETag?>> transfer)
    {
        var progress = new ProgressBar(console, TimeProvider.System);
        try
        {
            return await transfer(progress).ConfigureAwait(false);
        }
        finally
        {
            progress.Clear();
        }
    }
}

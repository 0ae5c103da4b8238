using System.CommandLine;
using Coap.Cli.Sync;
using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Commands.Files;

/// <summary>
/// sync LOCALDIR URI/ uploads, sync URI/ LOCALDIR downloads: only what changed since the last sync (remembered in
/// LOCALDIR/.coap-sync), with If-Match on every overwrite, one line per action and a summary on stdout.
/// </summary>
internal static class SyncCommand
{
    public static Command Create(CliConsole console)
    {
        var source = new Argument<string>("source") { Description = "What to copy from: a local directory or a coap:// directory URI." };
        var destination = new Argument<string>("destination") { Description = "Where to: a coap:// directory URI or a local directory." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say what would be transferred; change nothing." };
        var client = new ClientOptionSet();
        var command = new Command("sync", "Copy what changed between a local directory and a CoAP file service directory, either way.") { source, destination, dryRun };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            () => RunAsync(console, result.GetRequiredValue(source), result.GetRequiredValue(destination), result.GetValue(dryRun), client.Read(result), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string source, string destination, bool dryRun, ClientSettings settings, CancellationToken cancellationToken)
    {
        var upload = IsUri(destination);
        if (upload == IsUri(source))
        {
            throw new UsageException("give one local directory and one coap:// directory URI: coap sync LOCALDIR URI/ (upload) or coap sync URI/ LOCALDIR (download)");
        }

        var remote = RemotePath.AsDirectory(ParseUri(upload ? destination : source));
        var local = new DirectoryInfo(upload ? source : destination);
        if (upload && !local.Exists)
        {
            throw new UsageException($"no such directory: '{source}'");
        }

        if (!upload && !dryRun)
        {
            local.Create();
        }

        var state = SyncState.Load(local.FullName, remote.ToString());
        var session = new FileSession(settings, console);
        await using (session.ConfigureAwait(false))
        {
            var run = new SyncRun(console, session.Files, state, dryRun);
            try
            {
                if (upload)
                {
                    await run.UploadTreeAsync(local, remote, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await run.DownloadTreeAsync(remote, local, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                if (!dryRun)
                {
                    state.Save();
                }
            }

            await console.WriteOutputAsync(run.Summary(upload ? "uploaded" : "downloaded") + "\n", cancellationToken).ConfigureAwait(false);
            return run.Result;
        }
    }

    private static bool IsUri(string text) => text.Contains("://", StringComparison.Ordinal);

    private static CoapUri ParseUri(string text)
    {
        if (!CoapUri.TryParse(text, out var uri, out var error))
        {
            throw new UsageException($"invalid URI '{text}': {error}");
        }

        return uri;
    }
}

using System.CommandLine;

namespace Coap.Cli.Commands.Files;

/// <summary>mkdir: creates a directory with PUT to its URI (trailing slash added if missing); an existing one is fine.</summary>
internal static class MkdirCommand
{
    public static Command Create(CliConsole console) => SingleUriFileCommand.Create(
        console,
        "mkdir",
        "Create a directory on a CoAP file service (its parent must exist).",
        "The new directory, e.g. coap://localhost/files/photos/.",
        async (files, uri, cancellationToken) =>
        {
            await files.CreateDirectoryAsync(uri, cancellationToken).ConfigureAwait(false);
            return ExitCode.Success;
        });
}

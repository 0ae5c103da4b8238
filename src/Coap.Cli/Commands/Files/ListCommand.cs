using System.CommandLine;
using Coap.Cli.Output;

namespace Coap.Cli.Commands.Files;

/// <summary>ls: a file service directory as a table of name, size and type; a missing trailing slash is added.</summary>
internal static class ListCommand
{
    public static Command Create(CliConsole console) => SingleUriFileCommand.Create(
        console,
        "ls",
        "List a directory of a CoAP file service: name, size, type.",
        "The directory, e.g. coap://localhost/files/photos/ (the trailing slash is added if missing).",
        async (files, uri, cancellationToken) =>
        {
            var entries = await files.ListAsync(uri, cancellationToken).ConfigureAwait(false);
            await console.WriteOutputAsync(FileTable.Format(entries), cancellationToken).ConfigureAwait(false);
            return ExitCode.Success;
        });
}

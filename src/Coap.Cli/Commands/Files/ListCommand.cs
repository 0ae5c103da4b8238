using System.CommandLine;
using Coap.Cli.Output;

namespace Coap.Cli.Commands.Files;

/// <summary>
/// ls: a file service directory as a table of name, size and type; a missing trailing slash is added. A listed name
/// that is not a plain name is left out with a warning, and the exit code is then <see cref="ExitCode.Refused"/>.
/// </summary>
internal static class ListCommand
{
    public static Command Create(CliConsole console) => SingleUriFileCommand.Create(
        console,
        "ls",
        "List a directory of a CoAP file service: name, size, type.",
        "The directory, e.g. coap://localhost/files/photos/ (the trailing slash is added if missing).",
        async (files, uri, cancellationToken) =>
        {
            var listing = await files.GetListingAsync(uri, details: false, cancellationToken).ConfigureAwait(false);
            await console.WriteOutputAsync(FileTable.Format(listing.Entries), cancellationToken).ConfigureAwait(false);
            foreach (var refused in listing.Refused)
            {
                RefusedNames.Report(console, string.Empty, refused);
            }

            return listing.Refused.Count == 0 ? ExitCode.Success : ExitCode.Refused;
        });
}

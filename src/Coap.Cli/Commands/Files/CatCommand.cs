using System.CommandLine;
using Coap.Cli.Output;
using Services.FileServer.Client;

namespace Coap.Cli.Commands.Files;

/// <summary>cat: a file's content to stdout byte for byte, streamed block by block (RFC 7959).</summary>
internal static class CatCommand
{
    public static Command Create(CliConsole console) => SingleUriFileCommand.Create(
        console,
        "cat",
        "Write a file of a CoAP file service to stdout, byte for byte.",
        "The file, e.g. coap://localhost/files/notes.txt.",
        async (files, uri, cancellationToken) =>
        {
            if (RemotePath.IsDirectory(uri))
            {
                throw new UsageException($"'{uri}' is a directory; list it with coap ls");
            }

            var progress = new ProgressBar(console, TimeProvider.System);
            try
            {
                await files.ReadAsync(uri, console.Output, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                progress.Clear();
            }

            await console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCode.Success;
        });
}

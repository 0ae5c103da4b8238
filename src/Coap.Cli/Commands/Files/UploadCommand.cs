using System.CommandLine;
using Coap.Cli.Output;
using Services.FileServer.Client;

namespace Coap.Cli.Commands.Files;

/// <summary>
/// upload FILE URI (also reached as put FILE URI): writes a local file to a file service with PUT, block-wise when
/// large. A URI ending with a slash names the directory to upload into, under the file's own name.
/// </summary>
internal static class UploadCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The local file to upload." };
        var uri = UriArgument.Create();
        uri.Description = "Where to: a file's URI, or a directory's (ending with /) to keep the file's name.";
        var noClobber = new Option<bool>("--no-clobber", "-n")
        {
            Description = "Only create: fail with 4.12 instead of replacing a file that exists (If-None-Match).",
        };
        var client = new ClientOptionSet();
        var command = new Command("upload", "Upload a local file to a CoAP file service (PUT).") { file, uri, noClobber };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var source = result.GetRequiredValue(file);
                var target = result.GetRequiredValue(uri);
                if (RemotePath.IsDirectory(target))
                {
                    target = RemotePath.Child(target, source.Name, isDirectory: false);
                }

                var content = await ReadAsync(source, cancellationToken).ConfigureAwait(false);
                var session = new FileSession(client.Read(result), console);
                await using (session.ConfigureAwait(false))
                {
                    var progress = new ProgressBar(console, TimeProvider.System);
                    try
                    {
                        await session.Files.WriteAsync(target, content, ifNoneMatch: result.GetValue(noClobber), progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        progress.Clear();
                    }

                    return ExitCode.Success;
                }
            },
            cancellationToken));
        return command;
    }

    private static async Task<byte[]> ReadAsync(FileInfo source, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(source.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            var reason = error is FileNotFoundException or DirectoryNotFoundException ? "no such file" : error.Message;
            throw new UsageException($"cannot read '{source}': {reason}");
        }
    }
}

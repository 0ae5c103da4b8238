using System.CommandLine;
using Coap.Engine.Client;
using Services.FileServer.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands.Files;

/// <summary>
/// rm: deletes a file; a directory (URI with a trailing slash) only with -r, and then with everything in it. With -r
/// a directory named without its slash is deleted too, after the server says it is one.
/// </summary>
internal static class RemoveCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The file, or with -r the directory, e.g. coap://localhost/files/old/.";
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Delete a directory and everything in it." };
        var client = new ClientOptionSet();
        var command = new Command("rm", "Delete a file, or with -r a directory, on a CoAP file service.") { uri, recursive };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var target = result.GetRequiredValue(uri);
                var isRecursive = result.GetValue(recursive);
                if (RemotePath.IsDirectory(target) && !isRecursive)
                {
                    throw new UsageException($"'{target}' is a directory; use coap rm -r to delete it with everything in it");
                }

                var session = new FileSession(client.Read(result), console);
                await using (session.ConfigureAwait(false))
                {
                    return await DeleteAsync(console, session.Files, target, isRecursive, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken));
        return command;
    }

    private static async Task<int> DeleteAsync(CliConsole console, CoapFileClient files, CoapUri target, bool recursive, CancellationToken cancellationToken)
    {
        try
        {
            await files.DeleteAsync(target, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (CoapFileException error) when (error.Code == CoapCode.BadRequest && !RemotePath.IsDirectory(target) && IsDirectoryDiagnostic(error))
        {
            if (!recursive)
            {
                console.ReportError($"'{target}' is a directory; use coap rm -r {RemotePath.AsDirectory(target)} to delete it with everything in it");
                return ExitCode.ClientError;
            }

            await files.DeleteAsync(RemotePath.AsDirectory(target), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return ExitCode.Success;
    }

    private static bool IsDirectoryDiagnostic(CoapFileException error) =>
        error.Diagnostic?.Contains("is a directory", StringComparison.OrdinalIgnoreCase) == true;
}

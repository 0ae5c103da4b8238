using System.CommandLine;
using Coap.Cli.Output;
using Coap.Engine.Client.Files;

namespace Coap.Cli.Commands.Files;

/// <summary>cat: a file's content to stdout byte for byte, streamed block by block (RFC 7959).</summary>
internal static class CatCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The file, e.g. coap://localhost/files/notes.txt.";
        var client = new ClientOptionSet();
        var command = new Command("cat", "Write a file of a CoAP file service to stdout, byte for byte.") { uri };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var target = result.GetRequiredValue(uri);
                if (RemotePath.IsDirectory(target))
                {
                    throw new UsageException($"'{target}' is a directory; list it with coap ls");
                }

                var session = new FileSession(client.Read(result), console);
                await using (session.ConfigureAwait(false))
                {
                    var progress = new ProgressBar(console, TimeProvider.System);
                    try
                    {
                        await session.Files.ReadAsync(target, console.Output, progress, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        progress.Clear();
                    }

                    await console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return ExitCode.Success;
                }
            },
            cancellationToken));
        return command;
    }
}

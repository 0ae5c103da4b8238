using System.CommandLine;
using Coap.Cli.Output;

namespace Coap.Cli.Commands.Files;

/// <summary>ls: a file service directory as a table of name, size and type; a missing trailing slash is added.</summary>
internal static class ListCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The directory, e.g. coap://localhost/files/photos/ (the trailing slash is added if missing).";
        var client = new ClientOptionSet();
        var command = new Command("ls", "List a directory of a CoAP file service: name, size, type.") { uri };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var session = new FileSession(client.Read(result), console);
                await using (session.ConfigureAwait(false))
                {
                    var entries = await session.Files.ListAsync(result.GetRequiredValue(uri), cancellationToken).ConfigureAwait(false);
                    await console.WriteOutputAsync(FileTable.Format(entries), cancellationToken).ConfigureAwait(false);
                    return ExitCode.Success;
                }
            },
            cancellationToken));
        return command;
    }
}

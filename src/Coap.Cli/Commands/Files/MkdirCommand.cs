using System.CommandLine;

namespace Coap.Cli.Commands.Files;

/// <summary>mkdir: creates a directory with PUT to its URI (trailing slash added if missing); an existing one is fine.</summary>
internal static class MkdirCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The new directory, e.g. coap://localhost/files/photos/.";
        var client = new ClientOptionSet();
        var command = new Command("mkdir", "Create a directory on a CoAP file service (its parent must exist).") { uri };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var session = new FileSession(client.Read(result), console);
                await using (session.ConfigureAwait(false))
                {
                    await session.Files.CreateDirectoryAsync(result.GetRequiredValue(uri), cancellationToken).ConfigureAwait(false);
                    return ExitCode.Success;
                }
            },
            cancellationToken));
        return command;
    }
}

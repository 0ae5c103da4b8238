using System.CommandLine;
using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Commands.Files;

/// <summary>The shape of the file commands that take one URI and the client options: ls, mkdir, cat.</summary>
internal static class SingleUriFileCommand
{
    public static Command Create(
        CliConsole console,
        string name,
        string description,
        string uriDescription,
        Func<CoapFileClient, CoapUri, CancellationToken, Task<int>> run)
    {
        var uri = UriArgument.Create();
        uri.Description = uriDescription;
        var client = new ClientOptionSet();
        var command = new Command(name, description) { uri };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var target = result.GetRequiredValue(uri);
                var session = new FileSession(client.Read(result), console);
                await using (session.ConfigureAwait(false))
                {
                    return await run(session.Files, target, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken));
        return command;
    }
}

using System.CommandLine;
using Coap.Cli.Output;
using Coap.Cli.Term;
using Coap.Engine.Client;

namespace Coap.Cli.Commands;

/// <summary>
/// term: a remote shell over the CoAP terminal service. Starts a session (or --attach to one), puts the local terminal
/// in raw mode and relays keystrokes and output until the program ends (exit status) or Ctrl-] leaves it running;
/// --exec runs one command line without a terminal and exits with its status.
/// </summary>
internal static class TermCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The terminal service (coap://host/term/), or with --attach a session (coap://host/term/{id}/).";
        var attach = new Option<bool>("--attach", "-a") { Description = "The URI is a running session: attach to it instead of starting one." };
        var exec = new Option<string?>("--exec", "-e") { Description = "Run this command line in a new session without a terminal, with standard input forwarded (its end is end of file), print its output and exit with its status.", HelpName = "COMMAND" };
        var client = new ClientOptionSet();
        var command = new Command("term", "Open a remote terminal over CoAP (leave with Ctrl-]), or run one command with --exec.") { uri, attach, exec };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            () => RunAsync(console, result.GetRequiredValue(uri), result.GetValue(attach), result.GetValue(exec), client.Read(result), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, CoapUri uri, bool attach, string? exec, ClientSettings settings, CancellationToken cancellationToken)
    {
        if (exec is not null && attach)
        {
            throw new UsageException("--exec starts a session of its own; it cannot be used with --attach");
        }

        if (exec is null && !LocalTerminal.IsTerminal)
        {
            throw new UsageException("an interactive session needs a terminal on standard input; use --exec COMMAND to run one command");
        }

        var client = new CoapClient(settings.ToClientOptions());
        await using (client.ConfigureAwait(false))
        {
            try
            {
                var session = attach
                    ? await RemoteSession.AttachAsync(client, uri, settings.Proxy, cancellationToken).ConfigureAwait(false)
                    : await RemoteSession.StartAsync(client, uri, settings.Proxy, cancellationToken).ConfigureAwait(false);
                return exec is null
                    ? await InteractiveTerm.RunAsync(console, session, cancellationToken).ConfigureAwait(false)
                    : await ExecTerm.RunAsync(console, session, exec, cancellationToken).ConfigureAwait(false);
            }
            catch (RemoteSessionException error)
            {
                return ResponseReport.Fail(console, error.Response);
            }
        }
    }
}

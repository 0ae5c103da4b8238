using System.CommandLine;
using System.CommandLine.Invocation;
using Coap.Cli.Clock;
using Coap.Cli.Commands;
using Coap.Cli.Commands.Files;
using Coap.Cli.Commands.PubSub;
using Coap.Engine.Protocol;

namespace Coap.Cli;

/// <summary>The <c>coap</c> command line, runnable in-process: arguments in, exit code out, I/O through a <see cref="CliConsole"/>.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("A CoAP client (RFC 7252): send requests, observe and discover resources, work with a CoAP file service.")
        {
            RequestCommand.Create("get", CoapCode.Get, "Retrieve a resource (GET).", console, sendsPayload: false),
            RequestCommand.Create("put", CoapCode.Put, "Create or replace a resource with the payload (PUT).", console, sendsPayload: true),
            RequestCommand.Create("post", CoapCode.Post, "Have a resource process the payload (POST).", console, sendsPayload: true),
            RequestCommand.Create("delete", CoapCode.Delete, "Delete a resource (DELETE).", console, sendsPayload: false),
            RequestCommand.Create("fetch", CoapCode.Fetch, "Retrieve the part of a resource the payload selects (FETCH, RFC 8132).", console, sendsPayload: true),
            ObserveCommand.Create(console),
            DiscoverCommand.Create(console),
            TimeCommand.Create(console, console.Clock),
            ListCommand.Create(console),
            CatCommand.Create(console),
            UploadCommand.Create(console),
            RemoveCommand.Create(console),
            MkdirCommand.Create(console),
            SyncCommand.Create(console),
            MountCommand.Create(console, args),
            UmountCommand.Create(console),
            DnsCommand.Create(console),
            TopicCommands.Create(console),
            PublishCommand.Create(console),
            SubscribeCommand.Create(console),
            TermCommand.Create(console),
        };

        var parsed = root.Parse(PutShorthand.Rewrite(args));
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors)
            {
                console.ReportError(error.Message);
            }

            return ExitCode.Usage;
        }

        var output = new StreamWriter(console.Output, CliConsole.Utf8, bufferSize: 1024, leaveOpen: true) { AutoFlush = true };
        await using (output.ConfigureAwait(false))
        {
            var configuration = new InvocationConfiguration { Output = output, Error = console.Error };
            if (parsed.CommandResult.Command.Name == "mount")
            {
                // The mount handles SIGTERM/SIGINT itself: it must unmount before the process ends, never be cut short.
                configuration.ProcessTerminationTimeout = null;
            }

            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
    }
}

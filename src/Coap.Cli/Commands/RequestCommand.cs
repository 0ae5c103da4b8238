using System.CommandLine;
using Coap.Cli.Output;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands;

/// <summary>get, put, post, delete and fetch: one request, the response payload on stdout or in a file.</summary>
internal static class RequestCommand
{
    public static Command Create(string name, CoapCode method, string description, CliConsole console, bool sendsPayload)
    {
        var uri = UriArgument.Create();
        var accept = ContentFormatOption.Create("--accept", "-A", "Ask for this Content-Format: a number or a name (text/plain, json, cbor).");
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the response payload to this file, byte for byte, instead of stdout.",
            HelpName = "FILE",
        };
        var client = new ClientOptionSet();
        var payload = sendsPayload ? new PayloadOptionSet() : null;

        var command = new Command(name, description) { uri, accept, output };
        client.AddTo(command);
        payload?.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var body = payload is null ? default : await payload.ReadAsync(result, console.Input, cancellationToken).ConfigureAwait(false);
                var plan = new RequestPlan(result.GetRequiredValue(uri), method) { Body = body, Accept = result.GetValue(accept) };
                var response = await RequestSender.SendAsync(console, plan, client.Read(result), cancellationToken).ConfigureAwait(false);
                if (!response.Code.IsSuccess)
                {
                    return ResponseReport.Fail(console, response);
                }

                await PayloadWriter.WriteAsync(console, response, result.GetValue(output), cancellationToken).ConfigureAwait(false);
                return ExitCode.Success;
            },
            cancellationToken));
        return command;
    }
}

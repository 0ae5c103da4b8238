using System.CommandLine;
using Coap.Cli.Output;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands.PubSub;

/// <summary>pub: publish to a topic's data URI (PUT with --payload or --file and --content-format); prints nothing on 2.01 or 2.04.</summary>
internal static class PublishCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The topic-data, e.g. coap://broker/ps/data/1bd0d6d.";
        var payload = new PayloadOptionSet();
        var client = new ClientOptionSet();
        var command = new Command("pub", "Publish a value to a topic (PUT to its data URI).") { uri };
        payload.AddTo(command);
        client.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult("--payload") is null && result.GetResult("--file") is null)
            {
                result.AddError("give the value with --payload TEXT or --file PATH");
            }
        });
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var body = await payload.ReadAsync(result, console.Input, cancellationToken).ConfigureAwait(false);
                var plan = new RequestPlan(result.GetRequiredValue(uri), CoapCode.Put) { Body = body };
                var response = await RequestSender.SendAsync(console, plan, client.Read(result), cancellationToken).ConfigureAwait(false);
                return response.Code.IsSuccess ? ExitCode.Success : ResponseReport.Fail(console, response);
            },
            cancellationToken));
        return command;
    }
}

using System.CommandLine;
using Coap.Cli.Output;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands.PubSub;

/// <summary>
/// sub: subscribe to a topic's data (GET with Observe) and print each value as it arrives, one per line; CBOR values
/// in diagnostic notation, text as it is, other bytes in hex. Ends after --count values, or with exit 4 when the
/// broker ends the subscription with 4.04 (the topic or its data was deleted).
/// </summary>
internal static class SubscribeCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The topic-data, e.g. coap://broker/ps/data/1bd0d6d.";
        var count = CountOption.Create("Stop after this many values, the current one included.");
        var client = new ClientOptionSet();
        var command = new Command("sub", "Subscribe to a topic and print each value as it is published.") { uri, count };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            () => RunAsync(console, result.GetRequiredValue(uri), result.GetValue(count), client.Read(result), cancellationToken),
            cancellationToken));
        return command;
    }

    /// <summary>One value as a line: CBOR in diagnostic notation, text as it is, anything else in hex.</summary>
    public static string Format(CoapMessage message)
    {
        var payload = message.Payload;
        if (message.ContentFormat is { } format && ContentFormat.IsCbor(format))
        {
            if (CborText.TryFormat(payload) is { } diagnostic)
            {
                return diagnostic;
            }
        }

        return PayloadText.IsText(message.ContentFormat, payload.Span) ? CliConsole.Utf8.GetString(payload.Span).TrimEnd('\n') : "h'" + Convert.ToHexStringLower(payload.Span) + "'";
    }

    private static async Task<int> RunAsync(CliConsole console, CoapUri uri, int? count, ClientSettings settings, CancellationToken cancellationToken)
    {
        var client = new CoapClient(settings.ToClientOptions());
        await using (client.ConfigureAwait(false))
        {
            var request = client.NewRequest(CoapCode.Get, default, null);
            uri.ApplyTo(request);
            var remote = await RequestSender.ConnectAsync(client, ProxyRoute.Apply(request, uri, settings.Proxy), cancellationToken).ConfigureAwait(false);
            var received = 0;
            await foreach (var notification in client.ObserveAsync(request, remote, cancellationToken).ConfigureAwait(false))
            {
                if (!notification.Code.IsSuccess)
                {
                    return ResponseReport.Fail(console, notification);
                }

                await console.WriteOutputAsync(Format(notification) + "\n", cancellationToken).ConfigureAwait(false);
                if (++received == count)
                {
                    break;
                }

                if (notification.Observe is null)
                {
                    console.ReportError("the broker did not take the subscription (max-subscribers reached?); this was the current value");
                    return ExitCode.ServerError;
                }
            }

            return ExitCode.Success;
        }
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Coap.Cli.Output;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands;

/// <summary>
/// observe: registers as an observer (RFC 7641) and writes each notification's payload as it arrives, text one per
/// line. Ends with exit 0 after --count notifications, after --duration, or when the server ends the observation
/// with 2.xx; a 4.xx or 5.xx notification ends it with that class's exit code. Stopping deregisters (RFC 7641 §3.6).
/// </summary>
internal static class ObserveCommand
{
    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        var accept = ContentFormatOption.Create("--accept", "-A", "Ask for this Content-Format: a number or a name (text/plain, json, cbor).");
        var count = CountOption.Create("Stop after this many notifications, the first response included.");
        var duration = new Option<TimeSpan?>("--duration", "-d")
        {
            Description = "Stop after this many seconds.",
            HelpName = "SECONDS",
            CustomParser = ParseDuration,
        };
        var client = new ClientOptionSet();
        var command = new Command("observe", "Watch a resource and print each notification as it arrives (RFC 7641).") { uri, accept, count, duration };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            () => RunAsync(console, result.GetRequiredValue(uri), result.GetValue(accept), result.GetValue(count), result.GetValue(duration), client.Read(result), cancellationToken),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliConsole console, CoapUri uri, int? accept, int? count, TimeSpan? duration, ClientSettings settings, CancellationToken cancellationToken)
    {
        var client = new CoapClient(settings.ToClientOptions());
        await using (client.ConfigureAwait(false))
        {
            var request = client.NewRequest(CoapCode.Get, default, null);
            request.Accept = accept;
            uri.ApplyTo(request);
            var remote = await RequestSender.ConnectAsync(client, ProxyRoute.Apply(request, uri, settings.Proxy), cancellationToken).ConfigureAwait(false);
            if (settings.Verbose)
            {
                MessageTrace.WriteRequest(console.Error, request, remote);
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (duration is { } span)
            {
                limit.CancelAfter(span);
            }

            var received = 0;
            try
            {
                await foreach (var notification in client.ObserveAsync(request, remote, limit.Token).ConfigureAwait(false))
                {
                    if (settings.Verbose)
                    {
                        var observe = notification.Observe?.ToString(CultureInfo.InvariantCulture) ?? "none";
                        console.Error.WriteLine($"< Observe {observe}: {notification.Code.Describe()}");
                    }

                    if (!notification.Code.IsSuccess)
                    {
                        return ResponseReport.Fail(console, notification);
                    }

                    await PayloadWriter.WriteAsync(console, notification, null, limit.Token).ConfigureAwait(false);
                    if (++received == count)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // --duration has passed: a normal end.
            }

            return ExitCode.Success;
        }
    }
    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86_400 * 365)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        result.AddError($"invalid duration '{text}': give a number of seconds greater than 0");
        return null;
    }
}

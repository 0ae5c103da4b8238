using System.CommandLine;
using Coap.Cli.Output;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands;

/// <summary>
/// discover: GET /.well-known/core (RFC 6690 §4), or the URI's own path if it has one, with the filters as Uri-Query
/// (§4.1), and the links as a table.
/// </summary>
internal static class DiscoverCommand
{
    private static readonly string[] WellKnownCore = [".well-known", "core"];

    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The server (coap://host[:port]) or a link-format resource (coap://host/rd-lookup/res).";
        var filters = new[]
        {
            new Option<string?>("--rt") { Description = "Only links with this resource type (rt=), '*' as a trailing wildcard.", HelpName = "VALUE" },
            new Option<string?>("--if") { Description = "Only links with this interface (if=).", HelpName = "VALUE" },
            new Option<string?>("--href") { Description = "Only links whose target matches (href=), e.g. /sensors/*.", HelpName = "VALUE" },
        };
        var client = new ClientOptionSet();

        var command = new Command("discover", "List a server's resources from /.well-known/core (RFC 6690).") { uri };
        foreach (var filter in filters)
        {
            command.Options.Add(filter);
        }

        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var target = result.GetRequiredValue(uri);
                var query = new List<string>();
                foreach (var filter in filters)
                {
                    if (result.GetValue(filter) is { } value)
                    {
                        query.Add($"{filter.Name.TrimStart('-')}={value}");
                    }
                }

                var plan = new RequestPlan(target, CoapCode.Get) { Path = target.PathSegments.Count == 0 ? WellKnownCore : null, Query = query };
                var response = await RequestSender.SendAsync(console, plan, client.Read(result), cancellationToken).ConfigureAwait(false);
                return response.Code.IsSuccess ? await PrintLinksAsync(console, response, cancellationToken).ConfigureAwait(false) : ResponseReport.Fail(console, response);
            },
            cancellationToken));
        return command;
    }

    private static async Task<int> PrintLinksAsync(CliConsole console, CoapMessage response, CancellationToken cancellationToken)
    {
        var text = CliConsole.Utf8.GetString(response.Payload.Span);
        if (!LinkFormatParser.TryParse(text, out var links, out var error))
        {
            await PayloadWriter.WriteAsync(console, response, null, cancellationToken).ConfigureAwait(false);
            console.ReportError($"the response is not link-format (RFC 6690): {error}");
            return ExitCode.NoResponse;
        }

        await console.WriteOutputAsync(LinkTable.Format(links), cancellationToken).ConfigureAwait(false);
        return ExitCode.Success;
    }
}

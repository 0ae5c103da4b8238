using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using Coap.Cli.Output;
using Coap.Engine.Client;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands.PubSub;

/// <summary>
/// ps: manage a pub-sub broker's topics (draft-ietf-core-coap-pubsub-21). "ls" lists the collection's topics with
/// their configuration, "create" POSTs a configuration map, "show" prints one topic's map, "rm" deletes a topic.
/// </summary>
internal static class TopicCommands
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("ps", "Manage the topics of a pub-sub broker (draft-ietf-core-coap-pubsub).")
        {
            List(console),
            CreateTopic(console),
            Show(console),
            Remove(console),
        };
        return command;
    }

    private static Option<int> MapFormat() => new("--config-format")
    {
        Description = $"The Content-Format of configuration maps, application/core-pubsub+cbor (default {TopicMap.DefaultFormat}).",
        HelpName = "NUMBER",
        DefaultValueFactory = _ => TopicMap.DefaultFormat,
    };

    private static Command List(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The topic collection, e.g. coap://broker/ps.";
        var client = new ClientOptionSet();
        var command = new Command("ls", "List the topics: name, data URI, content-format and type.") { uri };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var collection = result.GetRequiredValue(uri);
                var settings = client.Read(result);
                var response = await RequestSender.SendAsync(console, new RequestPlan(collection, CoapCode.Get), settings, cancellationToken).ConfigureAwait(false);
                if (!response.Code.IsSuccess)
                {
                    return ResponseReport.Fail(console, response);
                }

                if (!LinkFormatParser.TryParse(CliConsole.Utf8.GetString(response.Payload.Span), out var links, out var error))
                {
                    console.ReportError($"the collection did not answer with link-format (RFC 6690): {error}");
                    return ExitCode.NoResponse;
                }

                var rows = new List<string[]> { new[] { "NAME", "DATA", "CONTENT-FORMAT", "TYPE" } };
                foreach (var link in links.Where(l => l.GetAttributeValues("rt").Contains("core.ps.conf")))
                {
                    var topic = await RequestSender.SendAsync(console, new RequestPlan(BrokerUri.On(collection, link.Target), CoapCode.Get), settings, cancellationToken).ConfigureAwait(false);
                    if (topic.Code.IsSuccess && TopicMap.TryRead(topic.Payload) is { } map)
                    {
                        rows.Add([map.Name ?? "?", map.DataPath is { } data ? BrokerUri.On(collection, data).ToString() : "-", map.ContentFormatText ?? "-", map.TopicType ?? "-"]);
                    }
                }

                await console.WriteOutputAsync(Table(rows), cancellationToken).ConfigureAwait(false);
                return ExitCode.Success;
            },
            cancellationToken));
        return command;
    }

    private static Command CreateTopic(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The topic collection, e.g. coap://broker/ps.";
        var name = new Argument<string>("name") { Description = "The topic's name (topic-name), unique on the broker." };
        var contentFormat = ContentFormatOption.Create("--content-format", "-t", "The one Content-Format publications must have (topic-content-format), e.g. 60 or cbor.");
        var type = new Option<string?>("--type") { Description = "What the data is (topic-type), e.g. temperature.", HelpName = "TEXT" };
        var max = new Option<int?>("--max-subscribers")
        {
            Description = "The most subscribers the topic accepts (max-subscribers).",
            HelpName = "N",
            CustomParser = ParseCount,
        };
        var format = MapFormat();
        var client = new ClientOptionSet();
        var command = new Command("create", "Create a topic; prints its URI and its data URI.") { uri, name, contentFormat, type, max, format };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var collection = result.GetRequiredValue(uri);
                var map = TopicMap.ForCreate(result.GetRequiredValue(name), result.GetValue(contentFormat), result.GetValue(type), result.GetValue(max));
                var plan = new RequestPlan(collection, CoapCode.Post) { Body = new RequestBody(map, result.GetValue(format)) };
                var response = await RequestSender.SendAsync(console, plan, client.Read(result), cancellationToken).ConfigureAwait(false);
                if (!response.Code.IsSuccess)
                {
                    return ResponseReport.Fail(console, response);
                }

                var created = TopicMap.TryRead(response.Payload);
                var text = new StringBuilder();
                text.Append("topic ").Append(BrokerUri.On(collection, response.GetLocationPath())).Append('\n');
                if (created?.DataPath is { } data)
                {
                    text.Append("data  ").Append(BrokerUri.On(collection, data)).Append('\n');
                }

                await console.WriteOutputAsync(text.ToString(), cancellationToken).ConfigureAwait(false);
                return ExitCode.Success;
            },
            cancellationToken));
        return command;
    }

    private static Command Show(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The topic, e.g. coap://broker/ps/1bd0d6d.";
        var client = new ClientOptionSet();
        var command = new Command("show", "Print a topic's configuration.") { uri };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var topic = result.GetRequiredValue(uri);
                var response = await RequestSender.SendAsync(console, new RequestPlan(topic, CoapCode.Get), client.Read(result), cancellationToken).ConfigureAwait(false);
                if (!response.Code.IsSuccess)
                {
                    return ResponseReport.Fail(console, response);
                }

                if (TopicMap.TryRead(response.Payload) is not { } map)
                {
                    console.ReportError("the answer is not a topic configuration map");
                    return ExitCode.NoResponse;
                }

                var rows = new List<string[]>();
                foreach (var (key, value) in map.Values)
                {
                    rows.Add([TopicMap.KeyName(key), key == 1 ? BrokerUri.On(topic, value).ToString() : value]);
                }

                await console.WriteOutputAsync(Table(rows), cancellationToken).ConfigureAwait(false);
                return ExitCode.Success;
            },
            cancellationToken));
        return command;
    }

    private static Command Remove(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The topic, e.g. coap://broker/ps/1bd0d6d.";
        var client = new ClientOptionSet();
        var command = new Command("rm", "Delete a topic and its data; its subscribers get a final 4.04.") { uri };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var response = await RequestSender.SendAsync(console, new RequestPlan(result.GetRequiredValue(uri), CoapCode.Delete), client.Read(result), cancellationToken).ConfigureAwait(false);
                return response.Code.IsSuccess ? ExitCode.Success : ResponseReport.Fail(console, response);
            },
            cancellationToken));
        return command;
    }

    private static int? ParseCount(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        result.AddError($"invalid number '{text}': give a whole number of 0 or more");
        return null;
    }

    private static string Table(List<string[]> rows)
    {
        var widths = new int[rows.Count == 0 ? 0 : rows.Max(r => r.Length)];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}

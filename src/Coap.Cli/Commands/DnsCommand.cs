using System.CommandLine;
using Coap.Cli.Output;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Services.Doc.Dns;

namespace Coap.Cli.Commands;

/// <summary>
/// dns: resolves a name through a DNS over CoAP server (RFC 9953): a query with ID 0 and RD, sent as FETCH with
/// Content-Format 553; prints the answer records like dig +short, or with -v the header and sections like dig.
/// </summary>
internal static class DnsCommand
{
    private const string DefaultPath = "dns";

    public static Command Create(CliConsole console)
    {
        var uri = UriArgument.Create();
        uri.Description = "The DoC server (coap://host, which means coap://host/dns) or its DNS resource.";
        var name = new Argument<string>("name") { Description = "The domain name to look up." };
        var type = new Argument<string>("type") { Description = "The record type: A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT or TYPEnnn.", DefaultValueFactory = _ => "A" };
        var client = new ClientOptionSet();
        var command = new Command("dns", "Resolve a name through a DNS over CoAP server (-v: all sections, like dig).") { uri, name, type };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var target = result.GetRequiredValue(uri);
                if (target.PathSegments.Count == 0)
                {
                    target = CoapUri.Parse($"{target.ToString().TrimEnd('/')}/{DefaultPath}");
                }

                var query = BuildQuery(result.GetRequiredValue(name), result.GetRequiredValue(type));
                var settings = client.Read(result);
                await using var coap = new CoapClient(settings.ToClientOptions());
                var request = coap.NewRequest(CoapCode.Fetch, query, ContentFormat.DnsMessage);
                request.Accept = ContentFormat.DnsMessage;
                var response = await RequestSender.SendAsync(coap, request, target, settings.Proxy, cancellationToken).ConfigureAwait(false);
                if (response.Code != CoapCode.Content)
                {
                    return ResponseReport.Fail(console, response);
                }

                if (!DnsMessage.TryParse(response.Payload.Span, out var answer, out var error))
                {
                    throw new CoapException($"The answer is not a DNS message: {error}");
                }

                var text = settings.Verbose ? DnsAnswerText.Sections(answer!, response.MaxAge ?? 60) : DnsAnswerText.Short(answer!);
                await console.WriteOutputAsync(text, cancellationToken).ConfigureAwait(false);
                if (!settings.Verbose && answer!.Header.Rcode != DnsRcode.NoError)
                {
                    console.ReportError($"status {DnsRcode.NameOf(answer.Header.Rcode)}");
                }

                return ExitCode.Success;
            },
            cancellationToken));
        return command;
    }

    private static byte[] BuildQuery(string name, string typeText)
    {
        if (!DnsType.TryParse(typeText, out var type))
        {
            throw new UsageException($"unknown record type '{typeText}' (A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT or TYPEnnn)");
        }

        try
        {
            return DnsMessage.Query(0, name, type).ToArray();
        }
        catch (DnsFormatException error)
        {
            throw new UsageException($"not a domain name: {error.Message}");
        }
    }
}

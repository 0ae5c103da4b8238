using System.CommandLine;
using System.CommandLine.Parsing;
using Coap.Engine.Client;

namespace Coap.Cli.Commands;

/// <summary>The URI argument, parsed by <see cref="CoapUri.TryParse"/>; a bad URI is a usage error naming the problem.</summary>
internal static class UriArgument
{
    public static Argument<CoapUri> Create() => new("uri")
    {
        Description = "The resource, e.g. coap://localhost/time, coap://[::1]:5683/sensors?unit=c or coaps://host/time (with -u and -k).",
        CustomParser = Parse,
    };

    private static CoapUri? Parse(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (!CoapUri.TryParse(text, out var uri, out var error))
        {
            result.AddError($"invalid URI '{text}': {error}");
            return null;
        }

        return uri;
    }
}

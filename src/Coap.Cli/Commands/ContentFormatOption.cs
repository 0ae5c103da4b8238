using System.CommandLine;
using System.CommandLine.Parsing;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands;

/// <summary>An option whose value is a Content-Format: a number or a media type, parsed by <see cref="ContentFormat.TryParse"/>.</summary>
internal static class ContentFormatOption
{
    public static Option<int?> Create(string name, string alias, string description) => new(name, alias)
    {
        Description = description,
        HelpName = "FORMAT",
        CustomParser = result => Parse(name, result),
    };

    private static int? Parse(string name, ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (ContentFormat.TryParse(text.Trim(), out var format))
        {
            return format;
        }

        result.AddError($"invalid content format '{text}' for {name}: give a number (0-65535) or a media type such as text/plain, application/json, cbor");
        return null;
    }
}

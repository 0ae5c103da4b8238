using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Coap.Cli.Commands;

/// <summary>"--count N" (-c): stop after N things; N is a whole number greater than 0, anything else is a usage error.</summary>
internal static class CountOption
{
    public static Option<int?> Create(string description) => new("--count", "-c")
    {
        Description = description,
        HelpName = "N",
        CustomParser = Parse,
    };

    private static int? Parse(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }

        result.AddError($"invalid count '{text}': give a whole number greater than 0");
        return null;
    }
}

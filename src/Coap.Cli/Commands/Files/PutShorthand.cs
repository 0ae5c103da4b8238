namespace Coap.Cli.Commands.Files;

/// <summary>
/// <c>coap put FILE URI</c> means <c>coap upload FILE URI</c>. The request command <c>put URI</c> takes a URI first,
/// so a first argument that is neither an option nor a URI, followed by a coap URI, can only mean a file upload;
/// everything else goes to the request command unchanged.
/// </summary>
internal static class PutShorthand
{
    public static IReadOnlyList<string> Rewrite(IReadOnlyList<string> args)
    {
        if (args.Count >= 3 && args[0] == "put" && !args[1].StartsWith('-') && !IsUri(args[1]) && IsUri(args[2]))
        {
            return ["upload", .. args.Skip(1)];
        }

        return args;
    }

    private static bool IsUri(string text) =>
        text.StartsWith("coap://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("coaps://", StringComparison.OrdinalIgnoreCase);
}

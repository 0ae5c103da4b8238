using Services.FileServer.Client;

namespace Coap.Cli.Commands.Files;

/// <summary>The warning on stderr for a name a listing held that the file client refused (and left out).</summary>
internal static class RefusedNames
{
    public static void Report(CliConsole console, string prefix, RefusedName refused) =>
        console.ReportError($"{prefix}{refused.Shown}: refused and skipped, the server listed {refused.Reason}");
}

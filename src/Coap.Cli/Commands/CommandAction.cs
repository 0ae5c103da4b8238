using System.Net.Sockets;
using Coap.Cli.Commands.Files;
using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Commands;

/// <summary>Runs a command's body and turns what can go wrong into one line on stderr and an exit code.</summary>
internal static class CommandAction
{
    public static async Task<int> RunAsync(CliConsole console, Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await CommandResources.RunAsync(body).ConfigureAwait(false);
        }
        catch (UsageException error)
        {
            console.ReportError(error.Message);
            return ExitCode.Usage;
        }
        catch (CoapFileException error)
        {
            console.ReportError(error.Message);
            return FileExitCode.Of(error);
        }
        catch (CoapException error)
        {
            console.ReportError(AsClause(error.Message));
            return ExitCode.NoResponse;
        }
        catch (SocketException error)
        {
            console.ReportError($"network error: {error.Message}");
            return ExitCode.NoResponse;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.ReportError("interrupted");
            return ExitCode.Interrupted;
        }
    }

    /// <summary>"No response from x." as "no response from x", to follow "coap: ".</summary>
    private static string AsClause(string sentence)
    {
        var text = sentence.TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && char.IsLower(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }
}

using Services.FileServer.Client;

namespace Coap.Cli.Commands.Files;

/// <summary>The exit code for a file service error: 4 for a 4.xx, 5 for a 5.xx, as for any response.</summary>
internal static class FileExitCode
{
    public static int Of(CoapFileException error) => error.Code.Class == 5 ? ExitCode.ServerError : ExitCode.ClientError;
}

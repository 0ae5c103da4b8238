using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Services.FileServer.Client;

/// <summary>Turns an error response of the file service into a <see cref="CoapFileException"/> a person can act on.</summary>
internal static class FileErrors
{
    public static CoapFileException From(CoapMessage response, FileOperation operation, CoapUri uri)
    {
        var diagnostic = response.Payload.IsEmpty ? null : Encoding.UTF8.GetString(response.Payload.Span);
        var meaning = Explain(response.Code, operation) ?? diagnostic;
        var message = response.Code.Describe();
        if (meaning is not null)
        {
            message += $": {meaning}";
        }

        if (diagnostic is not null && meaning != diagnostic)
        {
            message += $" (server says: {diagnostic})";
        }

        return new CoapFileException(response.Code, $"{message} [{uri}]", diagnostic);
    }

    private static string? Explain(CoapCode code, FileOperation operation) => (code.Class, code.Detail) switch
    {
        (4, 3) => operation is FileOperation.List or FileOperation.Read
            ? "the server refuses access to this path"
            : "the server is read-only or refuses changes to this path",
        (4, 4) => operation is FileOperation.Create or FileOperation.Overwrite or FileOperation.Write or FileOperation.CreateDirectory
            ? "the parent directory does not exist on the server; create it first (coap mkdir)"
            : "no such file or directory on the server",
        (4, 5) => "the server does not allow this method here; is this a file service?",
        (4, 12) => operation switch
        {
            FileOperation.Create => "the file already exists on the server",
            FileOperation.Delete => "the file changed on the server since you read it; nothing was deleted",
            _ => "the file changed on the server since you read it",
        },
        (4, 13) => "the file is larger than the server accepts",
        (5, 3) => "the server is busy; try again later",
        _ => null,
    };
}

using Coap.Engine.Protocol;

namespace Services.FileServer.Client;

/// <summary>
/// The file service answered with an error code. The message starts with the code and says what it means for the
/// operation, e.g. "4.12 Precondition Failed: the file changed on the server since you read it".
/// </summary>
public sealed class CoapFileException : Exception
{
    /// <param name="inner">What the client detected that stands for the error, when it was not the server's answer.</param>
    public CoapFileException(CoapCode code, string message, string? diagnostic = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Diagnostic = diagnostic;
    }

    /// <summary>The response code (4.xx or 5.xx).</summary>
    public CoapCode Code { get; }

    /// <summary>The server's diagnostic payload (RFC 7252 §5.5.2), if it sent one.</summary>
    public string? Diagnostic { get; }
}

using Coap.Engine.Protocol;

namespace Coap.Cli.Output;

/// <summary>What stderr says of a response that is not 2.xx.</summary>
internal static class ResponseReport
{
    /// <summary>A response that is not 2.xx: one line with its code and diagnostic payload; returns the exit code.</summary>
    public static int Fail(CliConsole console, CoapMessage response)
    {
        var payload = response.Payload.Span;
        var line = response.Code.Describe();
        if (!payload.IsEmpty)
        {
            // A diagnostic payload is UTF-8 text (RFC 7252 §5.5.2); anything else is only counted.
            line += PayloadText.IsText(response.ContentFormat, payload)
                ? $": {PayloadText.OneLine(payload)}"
                : $" ({payload.Length} bytes of {MessageTrace.DescribeFormat(response.ContentFormat)})";
        }

        console.ReportError(line);
        return response.Code.Class switch
        {
            4 => ExitCode.ClientError,
            5 => ExitCode.ServerError,
            _ => ExitCode.NoResponse,
        };
    }
}

using Coap.Engine.Protocol;

namespace Coap.Cli.Output;

/// <summary>What stderr says of a response: the line for one that is not 2.xx, and the warning for a partial one.</summary>
internal static class ResponseReport
{
    /// <summary>The M bit of a Block2 value: more blocks follow (RFC 7959 §2.2).</summary>
    private const uint MoreBlocks = 0x8;

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

    /// <summary>
    /// Warns when the response is the first block of several (RFC 7959 §2.4): the client does not fetch the other
    /// blocks yet, so the payload is incomplete.
    /// </summary>
    public static void WarnIfIncomplete(CliConsole console, CoapMessage response)
    {
        if (response.Options.GetUInt(OptionNumber.Block2) is { } block && (block & MoreBlocks) != 0)
        {
            console.ReportError(
                $"warning: only the first {response.Payload.Length} bytes arrived: the response is block-wise (RFC 7959) and this client does not fetch further blocks yet");
        }
    }
}

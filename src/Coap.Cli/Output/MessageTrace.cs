using System.Globalization;
using System.Net;
using Coap.Engine.Protocol;

namespace Coap.Cli.Output;

/// <summary>
/// The --verbose trace on stderr: "&gt;" lines for the request, "&lt;" lines for the response: type and code, one line
/// per option, and the payload size.
/// </summary>
internal static class MessageTrace
{
    public static void WriteRequest(TextWriter writer, CoapMessage request, IPEndPoint remote)
    {
        writer.WriteLine($"> {TypeName(request.Type)} {request.Code.Name ?? request.Code.ToString()} to {remote}");
        WriteBody(writer, "> ", request);
    }

    public static void WriteResponse(TextWriter writer, CoapMessage response)
    {
        writer.WriteLine($"< {TypeName(response.Type)} {response.Code.Describe()} (mid {response.MessageId.ToString(CultureInfo.InvariantCulture)}, token {response.Token})");
        WriteBody(writer, "< ", response);
    }

    /// <summary>"application/cbor (60)" for a registered format, the number alone otherwise, "no Content-Format" for none.</summary>
    public static string DescribeFormat(int? contentFormat) => contentFormat switch
    {
        null => "no Content-Format",
        { } format when ContentFormat.NameOf(format) is { } name => $"{name} ({format.ToString(CultureInfo.InvariantCulture)})",
        { } format => format.ToString(CultureInfo.InvariantCulture),
    };

    private static void WriteBody(TextWriter writer, string prefix, CoapMessage message)
    {
        foreach (var option in message.Options)
        {
            var known = option.Number is OptionNumber.ContentFormat or OptionNumber.Accept && option.TryGetUInt(out var format) ? ContentFormat.NameOf((int)format) : null;
            writer.WriteLine(known is null ? $"{prefix}{option}" : $"{prefix}{option} ({known})");
        }

        writer.WriteLine($"{prefix}payload: {message.Payload.Length.ToString(CultureInfo.InvariantCulture)} bytes");
    }

    private static string TypeName(CoapMessageType type) => type switch
    {
        CoapMessageType.Confirmable => "CON",
        CoapMessageType.NonConfirmable => "NON",
        CoapMessageType.Acknowledgement => "ACK",
        _ => "RST",
    };
}

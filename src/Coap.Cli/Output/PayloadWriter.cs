using Coap.Cli.Commands;
using Coap.Engine.Protocol;

namespace Coap.Cli.Output;

/// <summary>
/// Writes a response payload, byte for byte, to a file or to stdout. On stdout a text payload gets a final line
/// break when it has none, so that the shell prompt starts on its own line; binary payloads are never touched.
/// </summary>
internal static class PayloadWriter
{
    private static readonly byte[] LineBreak = [(byte)'\n'];

    public static async Task WriteAsync(CliConsole console, CoapMessage response, string? path, CancellationToken cancellationToken)
    {
        var payload = response.Payload;
        if (path is not null)
        {
            await WriteFileAsync(path, payload, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (payload.IsEmpty)
        {
            return;
        }

        await console.Output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        if (payload.Span[^1] != '\n' && PayloadText.IsText(response.ContentFormat, payload.Span))
        {
            await console.Output.WriteAsync(LineBreak, cancellationToken).ConfigureAwait(false);
        }

        await console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteFileAsync(string path, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            await File.WriteAllBytesAsync(path, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write '{path}': {error.Message}");
        }
    }
}

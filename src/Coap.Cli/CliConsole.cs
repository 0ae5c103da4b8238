using System.Text;
using Coap.Cli.Clock;

namespace Coap.Cli;

/// <summary>
/// Where the command line reads and writes. Standard output is a byte stream so that payloads pass through
/// unchanged and can be piped; everything for people (errors, verbose traces) goes to standard error.
/// </summary>
internal sealed record CliConsole(Stream Output, TextWriter Error, Stream Input)
{
    /// <summary>Whether standard error is a terminal, where a progress bar may be drawn; never for captured output.</summary>
    public bool ErrorIsTerminal { get; init; }

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>What `coap time --set` steps: the system clock, or a test's stand-in.</summary>
    public IClockStepper Clock { get; init; } = SystemClockStepper.Instance;

    public static CliConsole FromProcess() =>
        new(Console.OpenStandardOutput(), Console.Error, Console.OpenStandardInput()) { ErrorIsTerminal = !Console.IsErrorRedirected };

    /// <summary>Writes "coap: message" as one line on standard error.</summary>
    public void ReportError(string message) => Error.WriteLine($"coap: {message}");

    /// <summary>Writes text to standard output as UTF-8.</summary>
    public async Task WriteOutputAsync(string text, CancellationToken cancellationToken)
    {
        await Output.WriteAsync(Utf8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

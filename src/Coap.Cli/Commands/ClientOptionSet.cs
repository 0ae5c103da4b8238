using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Coap.Cli.Commands;

/// <summary>The options every command has: --timeout, --non, --block-size and --verbose.</summary>
internal sealed class ClientOptionSet
{
    /// <summary>The longest timeout accepted: a day is beyond any CoAP exchange and keeps the timer in range.</summary>
    private const double MaxTimeoutSeconds = 86_400;

    private readonly Option<TimeSpan?> _timeout = new("--timeout", "-B")
    {
        Description = "Give up after this many seconds (default: MAX_TRANSMIT_WAIT, 93 s).",
        HelpName = "SECONDS",
        CustomParser = ParseSeconds,
    };

    private readonly Option<bool> _non = new("--non", "-N")
    {
        Description = "Send a non-confirmable (NON) request instead of a confirmable (CON) one.",
    };

    private readonly Option<int?> _blockSize = new("--block-size", "-b")
    {
        Description = "Block size for block-wise transfers (RFC 7959): 16, 32, 64, 128, 256, 512 or 1024 bytes (default 1024).",
        HelpName = "BYTES",
        CustomParser = ParseBlockSize,
    };

    private readonly Option<bool> _verbose = new("--verbose", "-v")
    {
        Description = "Trace the request and the response (type, code, options, payload size) on stderr.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_timeout);
        command.Options.Add(_non);
        command.Options.Add(_blockSize);
        command.Options.Add(_verbose);
    }

    public ClientSettings Read(ParseResult result) =>
        new(result.GetValue(_timeout), result.GetValue(_non), result.GetValue(_verbose)) { BlockSize = result.GetValue(_blockSize) };

    private static int? ParseBlockSize(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 16 and <= 1024 && (size & (size - 1)) == 0)
        {
            return size;
        }

        result.AddError($"invalid block size '{text}': give a power of two from 16 to 1024");
        return null;
    }

    private static TimeSpan? ParseSeconds(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= MaxTimeoutSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        result.AddError($"invalid timeout '{text}': give a number of seconds greater than 0 and at most {MaxTimeoutSeconds:0}");
        return null;
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;

namespace Coap.Cli.Commands;

/// <summary>The payload options of put, post and fetch: --payload, --file and --content-format.</summary>
internal sealed class PayloadOptionSet
{
    private const string StandardInput = "-";

    private readonly Option<string?> _payload = new("--payload", "-e")
    {
        Description = "Send this text (as UTF-8) as the payload.",
        HelpName = "TEXT",
    };

    private readonly Option<string?> _file = new("--file", "-f")
    {
        Description = "Send this file's bytes as the payload; '-' reads standard input.",
        HelpName = "PATH",
    };

    private readonly Option<int?> _contentFormat = ContentFormatOption.Create(
        "--content-format", "-t", "The payload's Content-Format: a number or a name (text/plain, application/json, cbor, 40).");

    public void AddTo(Command command)
    {
        command.Options.Add(_payload);
        command.Options.Add(_file);
        command.Options.Add(_contentFormat);
        command.Validators.Add(Validate);
    }

    public async Task<RequestBody> ReadAsync(ParseResult result, Stream input, CancellationToken cancellationToken)
    {
        var contentFormat = result.GetValue(_contentFormat);
        if (result.GetValue(_payload) is { } text)
        {
            return new RequestBody(CliConsole.Utf8.GetBytes(text), contentFormat);
        }

        if (result.GetValue(_file) is not { } path)
        {
            return new RequestBody(ReadOnlyMemory<byte>.Empty, contentFormat);
        }

        try
        {
            return new RequestBody(await ReadAllAsync(path, input, cancellationToken).ConfigureAwait(false), contentFormat);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            var reason = error is FileNotFoundException or DirectoryNotFoundException ? "no such file" : error.Message;
            throw new UsageException($"cannot read '{path}': {reason}");
        }
    }

    private static async Task<byte[]> ReadAllAsync(string path, Stream input, CancellationToken cancellationToken)
    {
        if (path != StandardInput)
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }

        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private void Validate(CommandResult result)
    {
        if (result.GetResult(_payload) is not null && result.GetResult(_file) is not null)
        {
            result.AddError("--payload and --file cannot be used together");
        }
    }
}

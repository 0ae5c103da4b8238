using System.Formats.Cbor;
using System.Text.RegularExpressions;
using Coap.Engine.Protocol;

namespace Services.Terminal.Tests;

/// <summary>A session running /bin/sh on a pseudo-terminal, driven over real UDP.</summary>
public sealed partial class TerminalSessionTests : IAsyncDisposable
{
    private readonly TerminalServer _server = new();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [GeneratedRegex(@"\nhello-(\d+)\r\n")]
    private static partial Regex EchoLine();

    [Fact]
    public async Task Echo_of_the_shells_pid_comes_back_expanded_in_the_observed_output()
    {
        await using var session = await SessionClient.StartAsync(_server);

        await session.TypeAsync("echo hello-$$\n");
        var text = await session.WaitForAsync(t => EchoLine().IsMatch(t), "the expanded echo");

        Assert.Contains("echo hello-$$", text, StringComparison.Ordinal);
        Assert.Equal((await StatusAsync(session))["pid"], int.Parse(EchoLine().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<Dictionary<string, int>> StatusAsync(SessionClient session)
    {
        var response = await _server.Client.GetAsync(session.Uri + "status");
        Assert.Equal(CoapCode.Content, response.Code);
        var reader = new CborReader(response.Payload);
        var fields = new Dictionary<string, int>();
        var count = reader.ReadStartMap();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextString();
            fields[key] = reader.PeekState() == CborReaderState.Boolean ? (reader.ReadBoolean() ? 1 : 0) : reader.ReadInt32();
        }

        return fields;
    }
}

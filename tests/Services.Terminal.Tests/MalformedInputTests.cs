using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Services.Terminal.Tests;

/// <summary>Malformed bodies and options get 4.00, 4.02 or 4.15; nothing of them is typed and the session runs on.</summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private static readonly byte[] Huge = [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    private readonly TerminalServer _server = new(new() { ["Modules:Terminal:MaxSessions"] = "1" });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    public static TheoryData<string, byte[], int> BadInput => new()
    {
        { "empty body", [], ContentFormat.Cbor },
        { "truncated pair", [0x82, 0x00], ContentFormat.Cbor },
        { "text instead of bytes", [0x82, 0x00, 0x61, 0x78], ContentFormat.Cbor },
        { "three items", [0x83, 0x00, 0x41, 0x78, 0x00], ContentFormat.Cbor },
        { "offset above 2^63", [0x82, .. Huge, 0x41, 0x78], ContentFormat.Cbor },
        { "negative offset", [0x82, 0x20, 0x41, 0x78], ContentFormat.Cbor },
        { "bytes after the pair", [0x82, 0x00, 0x41, 0x78, 0x00], ContentFormat.Cbor },
        { "sequence without bytes", [0x00], ContentFormat.CborSeq },
        { "sequence with a third item", [0x00, 0x41, 0x78, 0x00], ContentFormat.CborSeq },
        { "not CBOR", [0xff, 0xff], ContentFormat.CborSeq },
        { "offset with additional information 31", [0x82, 0x1f, 0x41, 0x78], ContentFormat.Cbor },
        { "sequence offset with additional information 31", [0x1f, 0x41, 0x78], ContentFormat.CborSeq },
        { "offset a two-byte simple value", [0x82, 0xf8, 0x18, 0x41, 0x78], ContentFormat.Cbor },
        { "indefinite-length pair", [0x9f, 0x00, 0x41, 0x78, 0xff], ContentFormat.Cbor },
        { "text not UTF-8 after the pair", [0x00, 0x41, 0x78, 0x62, 0xc3, 0x28], ContentFormat.CborSeq },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Malformed_input_is_4_00_and_nothing_is_typed(string why, byte[] body, int format)
    {
        await using var session = await SessionClient.StartAsync(_server);

        var response = await _server.Client.PostAsync(session.Uri + "in", body, format);
        var next = await _server.Client.PostAsync(session.Uri + "in", OutputChunkReader.Pair(0, []), ContentFormat.Cbor);

        Assert.True(response.Code == CoapCode.BadRequest, $"{why}: {response.Code}");
        Assert.Equal(CoapCode.Changed, next.Code);
        Assert.Equal(0, OutputChunkReader.DecodeOffset(next.Payload));
    }

    [Fact]
    public async Task Input_in_a_content_format_the_service_does_not_take_is_4_15_and_not_typed()
    {
        await using var session = await SessionClient.StartAsync(_server);

        var json = await _server.Client.PostAsync(session.Uri + "in", "\"ls\""u8.ToArray(), ContentFormat.Json);
        var next = await _server.Client.PostAsync(session.Uri + "in", OutputChunkReader.Pair(0, []), ContentFormat.Cbor);

        Assert.Equal(CoapCode.UnsupportedContentFormat, json.Code);
        Assert.Equal(0, OutputChunkReader.DecodeOffset(next.Payload));
    }

    [Fact]
    public async Task Malformed_sizes_and_offsets_are_4_00_and_another_format_4_15()
    {
        await using var session = await SessionClient.StartAsync(_server);
        var size = session.Uri + "size";
        var output = session.Uri + "out";

        var sizes = new List<CoapMessage>();
        foreach (var body in (byte[][])[[], [0x82, 0x18], [0x82, 0xf9, 0x4e, 0x00, 0xf9, 0x55, 0x00], [0x82, 0x20, 0x18, 0x50], [0x83, 0x18, 0x18, 0x18, 0x50, 0x01], [0x82, 0x18, 0x18, 0x18, 0x50, 0x00], [0x9f, 0x18, 0x18, 0x18, 0x50, 0xff]])
        {
            sizes.Add(await _server.Client.PutAsync(size, body, ContentFormat.Cbor));
        }

        var offsets = new List<CoapMessage>();
        foreach (var body in (byte[][])[[], [0x19, 0x01], Huge, [0xf9, 0x3c, 0x00], [0x80], [0x1f], [0x3f], [0xf8, 0x18]])
        {
            offsets.Add(await _server.Client.FetchAsync(output, body, ContentFormat.Cbor));
        }

        var sequence = await _server.Client.FetchAsync(output, OutputChunkReader.Offset(0), ContentFormat.CborSeq);
        var noFormat = await _server.Client.PutAsync(size, OutputChunkReader.Size(24, 80));

        Assert.All(sizes, response => Assert.Equal(CoapCode.BadRequest, response.Code));
        Assert.All(offsets, response => Assert.Equal(CoapCode.BadRequest, response.Code));
        Assert.Equal(CoapCode.UnsupportedContentFormat, sequence.Code);
        Assert.Equal(CoapCode.UnsupportedContentFormat, noFormat.Code);
        Assert.True((await Status.GetAsync(_server, session)).Running);
    }

    [Fact]
    public async Task An_unrecognised_critical_option_is_4_02_and_starts_no_session()
    {
        var request = _server.Client.NewRequest(CoapCode.Post, ReadOnlyMemory<byte>.Empty, null);
        request.Options.Add(2049, new byte[] { 1 });

        var refused = await _server.Client.SendAsync(request, CoapUri.Parse(_server.Uri("/term/")));
        var started = await _server.Client.PostAsync(_server.Uri("/term/"), ReadOnlyMemory<byte>.Empty);

        Assert.Equal(CoapCode.BadOption, refused.Code);
        Assert.Equal(CoapCode.Created, started.Code);
    }
}

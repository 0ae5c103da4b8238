using System.Text;
using System.Text.RegularExpressions;
using Coap.Engine.Protocol;

namespace Services.Terminal.Tests;

/// <summary>Bad requests get the RFC's answer, and the session they were aimed at keeps running.</summary>
public sealed class TerminalRequestTests : IAsyncLifetime
{
    private readonly TerminalServer _server = new(new() { ["Modules:Terminal:InputQueueBytes"] = "16" });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Requests_to_no_session_or_an_unknown_part_get_4_04_and_wrong_methods_4_05()
    {
        await using var session = await SessionClient.StartAsync(_server);

        Assert.Equal(CoapCode.NotFound, (await _server.Client.GetAsync(_server.Uri("/term/0000/out"))).Code);
        Assert.Equal(CoapCode.NotFound, (await _server.Client.GetAsync(session.Uri + "nothing")).Code);
        Assert.Equal(CoapCode.NotFound, (await _server.Client.GetAsync(session.Uri + "out/deeper")).Code);
        Assert.Equal(CoapCode.MethodNotAllowed, (await _server.Client.GetAsync(_server.Uri("/term/"))).Code);
        Assert.Equal(CoapCode.MethodNotAllowed, (await _server.Client.PutAsync(session.Uri + "out", "x"u8.ToArray())).Code);
        Assert.True((await Status.GetAsync(_server, session)).Running);
    }

    [Fact]
    public async Task Fetch_wants_one_cbor_unsigned_integer_within_the_output()
    {
        await using var session = await SessionClient.StartAsync(_server);
        var uri = session.Uri + "out";

        var wrongFormat = await _server.Client.FetchAsync(uri, OutputChunkReader.Offset(0), ContentFormat.OctetStream);
        var text = await _server.Client.FetchAsync(uri, Encoding.UTF8.GetBytes("\x63abc"), ContentFormat.Cbor);
        var negative = await _server.Client.FetchAsync(uri, new byte[] { 0x20 }, ContentFormat.Cbor);
        var trailing = await _server.Client.FetchAsync(uri, new byte[] { 0x00, 0x00 }, ContentFormat.Cbor);
        var pastEnd = await _server.Client.FetchAsync(uri, OutputChunkReader.Offset(1_000_000), ContentFormat.Cbor);

        Assert.Equal(CoapCode.UnsupportedContentFormat, wrongFormat.Code);
        Assert.Equal([CoapCode.BadRequest, CoapCode.BadRequest, CoapCode.BadRequest, CoapCode.BadRequest], new[] { text.Code, negative.Code, trailing.Code, pastEnd.Code });
    }

    [Fact]
    public async Task A_bad_size_is_4_00_and_the_wrong_format_4_15()
    {
        await using var session = await SessionClient.StartAsync(_server);
        var uri = session.Uri + "size";

        var zero = await _server.Client.PutAsync(uri, OutputChunkReader.Size(0, 80), ContentFormat.Cbor);
        var huge = await _server.Client.PutAsync(uri, OutputChunkReader.Size(24, 70_000), ContentFormat.Cbor);
        var notArray = await _server.Client.PutAsync(uri, OutputChunkReader.Offset(24), ContentFormat.Cbor);
        var text = await _server.Client.PutAsync(uri, "24 80"u8.ToArray(), ContentFormat.TextPlain);

        Assert.Equal([CoapCode.BadRequest, CoapCode.BadRequest, CoapCode.BadRequest], new[] { zero.Code, huge.Code, notArray.Code });
        Assert.Equal(CoapCode.UnsupportedContentFormat, text.Code);
    }

    [Fact]
    public async Task Input_past_the_received_offset_is_4_09_with_the_next_offset_and_a_bad_pair_4_00()
    {
        await using var session = await SessionClient.StartAsync(_server);
        var uri = session.Uri + "in";

        var gap = await _server.Client.PostAsync(uri, OutputChunkReader.Pair(5, "x"u8.ToArray()), ContentFormat.Cbor);
        var notPair = await _server.Client.PostAsync(uri, OutputChunkReader.Offset(0), ContentFormat.Cbor);
        var raw = await _server.Client.PostAsync(uri, "true\n"u8.ToArray(), ContentFormat.OctetStream);

        Assert.Equal(CoapCode.Conflict, gap.Code);
        Assert.Equal(0, OutputChunkReader.DecodeOffset(gap.Payload));
        Assert.Equal(CoapCode.BadRequest, notPair.Code);
        Assert.Equal(CoapCode.Changed, raw.Code);
        Assert.Equal(5, OutputChunkReader.DecodeOffset(raw.Payload));
    }

    [Fact]
    public async Task Input_that_does_not_fit_the_queue_is_5_03_with_max_age_and_not_typed()
    {
        await using var session = await SessionClient.StartAsync(_server);

        var full = await _server.Client.PostAsync(session.Uri + "in", Encoding.UTF8.GetBytes("echo seventeen-b\n"), ContentFormat.OctetStream);
        await session.TypeAsync("echo ok$((1+3))\n");
        var text = await session.WaitForAsync(t => t.Contains("ok4\r\n", StringComparison.Ordinal), "the later input");

        Assert.Equal(CoapCode.ServiceUnavailable, full.Code);
        Assert.NotNull(full.MaxAge);
        Assert.DoesNotContain("seventeen", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pair_longer_than_the_free_queue_is_taken_in_part_and_the_answer_says_where_to_go_on()
    {
        await using var session = await SessionClient.StartAsync(_server);
        var line = Encoding.UTF8.GetBytes("echo seventeen-$((2*4))\n");

        var first = await _server.Client.PostAsync(session.Uri + "in", OutputChunkReader.Pair(0, line), ContentFormat.Cbor);
        var taken = OutputChunkReader.DecodeOffset(first.Payload);
        // The echo shows that the pty has taken the first part, so the queue has room again for the rest.
        await session.WaitForAsync(t => t.Contains(Encoding.UTF8.GetString(line, 0, (int)taken), StringComparison.Ordinal), "the first part's echo");
        var rest = await _server.Client.PostAsync(session.Uri + "in", OutputChunkReader.Pair(taken, line[(int)taken..]), ContentFormat.Cbor);
        var text = await session.WaitForAsync(t => Regex.IsMatch(t, @"(?:\n|[#$] )seventeen-8\r\n"), "the whole line run");

        Assert.Equal(CoapCode.Changed, first.Code);
        Assert.Equal(16, taken);
        Assert.Equal(CoapCode.Changed, rest.Code);
        Assert.Equal(line.Length, OutputChunkReader.DecodeOffset(rest.Payload));
        Assert.Single(Regex.Matches(text, @"seventeen-8\r\n"));
    }
}

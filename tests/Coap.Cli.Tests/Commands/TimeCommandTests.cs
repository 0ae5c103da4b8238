using System.Formats.Cbor;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Coap.Cli.Clock;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Cli.Tests.Commands;

/// <summary>`coap time` against time servers of every form, on real UDP; the clock it would step is a stand-in.</summary>
public sealed class TimeCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Ahead = TimeSpan.FromSeconds(10);
    private readonly CoapEndpoint _server;

    public TimeCommandTests()
    {
        var tree = new ResourceTree();
        tree.Map("ahead", new TestResource(_ => Cbor(Extended(DateTimeOffset.UtcNow + Ahead))));
        tree.Map("basic", new TestResource(context => context.Request.GetUriQuery().Length > 0
            ? ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.BadRequest))
            : Cbor(Epoch(DateTimeOffset.UtcNow))));
        tree.Map("text", new TestResource(_ => Text(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0)), new ResourceMetadata { ContentFormats = [ContentFormat.TextPlain] });
        tree.Map("garbage", TestResource.Text("Nov 22 03:04:05"));
        tree.Map("missing-time", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.NotFound))));
        _server = TestEndpoints.StartUdpServer(tree);
    }

    private string Uri(string path) => $"coap://127.0.0.1:{_server.LocalEndPoints[0].Port}/{path}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Set_steps_the_clock_by_the_measured_offset()
    {
        var clock = new RecordingClock();

        var result = await CliRun.RunWithClockAsync(clock, "time", Uri("ahead"), "--set");

        Assert.Equal(0, result.ExitCode);
        Assert.NotNull(clock.Stepped);
        Assert.InRange(clock.Stepped!.Value.TotalSeconds, 9.5, 10.5);
        Assert.Contains("local clock stepped by +", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_reports_offset_round_trip_and_samples()
    {
        // A sample waits 10 s for its answer (not the default 2 s), so that none is lost on a busy machine.
        var result = await CliRun.RunAsync("time", Uri("ahead"), "--json", "--samples", "3", "--timeout", "10");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Text);
        // The server read the clock between the send and the receive: the offset is 10 s within half the round trip.
        var roundTrip = json.RootElement.GetProperty("roundTripSeconds").GetDouble();
        Assert.InRange(roundTrip, 0, 10);
        Assert.InRange(json.RootElement.GetProperty("offsetSeconds").GetDouble(), 10 - (roundTrip / 2) - 0.001, 10 + (roundTrip / 2) + 0.001);
        Assert.Equal(3, json.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("lost").GetInt32());
        Assert.False(json.RootElement.GetProperty("stepped").GetBoolean());
    }

    [Fact]
    public async Task Falls_back_to_tag_1_when_the_server_refuses_the_extended_query()
    {
        var result = await CliRun.RunAsync("time", Uri("basic"), "--json", "-n", "2");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Text);
        Assert.InRange(json.RootElement.GetProperty("offsetSeconds").GetDouble(), -1.5, 1.5);
    }

    [Fact]
    public async Task Falls_back_to_text_when_cbor_is_not_acceptable()
    {
        var result = await CliRun.RunAsync("time", Uri("text"), "--json", "-n", "2");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Text);
        Assert.InRange(json.RootElement.GetProperty("offsetSeconds").GetDouble(), -0.5, 0.5);
    }

    [Fact]
    public async Task An_answer_that_is_no_time_is_an_error()
    {
        var result = await CliRun.RunAsync("time", Uri("garbage"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("did not answer with a time", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_response_gives_its_exit_code()
    {
        var result = await CliRun.RunAsync("time", Uri("missing-time"));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("4.04", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_step_is_reported_and_fails()
    {
        var result = await CliRun.RunWithClockAsync(new RecordingClock { Refusal = "--set needs root" }, "time", Uri("ahead"), "--set", "-n", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--set needs root", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_count_out_of_range_is_a_usage_error()
    {
        var result = await CliRun.RunAsync("time", Uri("ahead"), "--samples", "0");

        Assert.Equal(2, result.ExitCode);
    }

    private static byte[] Extended(DateTimeOffset time)
    {
        var ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        var writer = new CborWriter();
        writer.WriteTag((CborTag)1001);
        writer.WriteStartMap(2);
        writer.WriteInt32(1);
        writer.WriteInt64(ticks / TimeSpan.TicksPerSecond);
        writer.WriteInt32(-9);
        writer.WriteInt64(ticks % TimeSpan.TicksPerSecond * 100);
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static byte[] Epoch(DateTimeOffset time)
    {
        var writer = new CborWriter();
        writer.WriteUnixTimeSeconds(time.ToUnixTimeSeconds());
        return writer.Encode();
    }

    private static ValueTask<CoapMessage> Cbor(byte[] payload) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, payload, ContentFormat.Cbor));

    private static ValueTask<CoapMessage> Text(double seconds) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.ASCII.GetBytes(seconds.ToString("0.000", CultureInfo.InvariantCulture)), ContentFormat.TextPlain));

    private sealed class RecordingClock : IClockStepper
    {
        public TimeSpan? Stepped { get; private set; }

        public string? Refusal { get; init; }

        public bool TryStep(TimeSpan offset, out string error)
        {
            error = Refusal ?? string.Empty;
            if (Refusal is null)
            {
                Stepped = offset;
            }

            return Refusal is null;
        }
    }
}

using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Time.Tests;

/// <summary>
/// The exact bytes of each CBOR time answer at 2026-11-22T03:04:05.678Z (UNIX 1795316645), worked out by hand from
/// RFC 8949 §3.4.2 and RFC 9581: what a client decodes must not change with the CBOR library underneath.
/// </summary>
public sealed class TimeWireBytesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 4, 5, 678, TimeSpan.Zero);
    private ModuleServer? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => (_server?.DisposeAsync() ?? ValueTask.CompletedTask).AsTask();

    [Theory]
    [InlineData("Seconds", "", "c11a6b025ba5")]
    [InlineData("Milliseconds", "", "c1fb41dac096e96b645a")]
    [InlineData("Seconds", "format=extended", "d903e9a2011a6b025ba5281a28697580")]
    [InlineData("Seconds", "scale=tai", "d903e9a3011a6b025bca281a286975802001")]
    public void Time_answer_has_the_same_bytes(string precision, string query, string hex)
    {
        _server = new ModuleServer(new TimeModule(), new Dictionary<string, string?> { ["Modules:Time:Precision"] = precision }, new FakeTimeProvider(Now));
        var request = CoapMessage.CreateRequest(CoapCode.Get, "time");
        request.MessageId = 1;
        request.Token = CoapToken.FromUInt64(1, 2);
        if (query.Length > 0)
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, query));
        }

        _server.Peer.Send(request);
        var response = _server.Peer.Expect();

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(hex, Convert.ToHexStringLower(response.Payload.Span));
    }
}

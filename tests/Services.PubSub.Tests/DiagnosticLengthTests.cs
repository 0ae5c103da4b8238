using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>
/// A refusal names what was wrong without quoting the peer's value at length (found by fuzzing: a 3 000-byte
/// topic-data came back whole in a 3 070-byte 4.00, and a 70 KB one made a reply too large for a datagram, so the CON
/// was never answered; a map that large is now refused by its size, 4.13, see ConfigurationSizeTests).
/// </summary>
public sealed class DiagnosticLengthTests
{
    [Theory]
    [InlineData(3_000)]
    [InlineData(60_000)]
    public async Task A_refused_topic_data_is_answered_4_00_with_a_short_diagnostic(int length)
    {
        await using var broker = new TestBroker();

        var response = await broker.Send(CoapCode.Post, "ps", Maps.Topic("t", (1, new string('x', length))), Maps.Format);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.InRange(response.Payload.Length, 1, 128);
        Assert.Contains("topic-data", TestBroker.Text(response), StringComparison.Ordinal);
    }
}

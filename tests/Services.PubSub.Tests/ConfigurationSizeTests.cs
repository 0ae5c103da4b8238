using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>
/// The whole configuration map has a limit (MaxPayloadBytes for an initialize value plus 4 KiB and the data prefix
/// for every other key at its longest): a larger payload is 4.13 with that limit as Size1, before it is parsed.
/// </summary>
public sealed class ConfigurationSizeTests
{
    private const int MaxPayload = 1000;

    /// <summary>MaxPayload + 4096 + "ps/data/".</summary>
    private const uint Limit = MaxPayload + 4096 + 8;

    private static TestBroker Start() => new(new() { ["Modules:PubSub:MaxPayloadBytes"] = MaxPayload.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [Fact]
    public async Task The_longest_valid_map_fits()
    {
        await using var broker = Start();
        var text = new string('x', 255);

        var response = await broker.Send(
            CoapCode.Post,
            "ps",
            Maps.Of((0, text), (1, "ps/data/" + text), (2, "core.ps.data"), (3, 0), (4, text), (5, DateTimeOffset.UtcNow.AddYears(50)), (6, int.MaxValue), (7, int.MaxValue), (8, new byte[MaxPayload])),
            Maps.Format);

        Assert.Equal(CoapCode.Created, response.Code);
    }

    [Theory]
    [InlineData("POST", "ps")]
    [InlineData("FETCH", "ps")]
    [InlineData("IPATCH", "topic")]
    public async Task A_larger_map_is_4_13_with_the_limit(string method, string path)
    {
        await using var broker = Start();
        var (topic, _) = await broker.CreateAsync("t");
        var code = method switch { "POST" => CoapCode.Post, "FETCH" => CoapCode.Fetch, _ => CoapCode.IPatch };
        var map = Maps.Of((4, new string('y', (int)Limit)));

        var response = await broker.Send(code, path == "topic" ? topic : path, map, Maps.Format);

        Assert.Equal(CoapCode.RequestEntityTooLarge, response.Code);
        Assert.Equal(Limit, response.Options.GetUInt(OptionNumber.Size1));
        Assert.Contains("configuration map", TestBroker.Text(response), StringComparison.Ordinal);
    }
}

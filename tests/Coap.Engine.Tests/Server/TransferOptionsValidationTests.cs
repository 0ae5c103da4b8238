using Coap.Engine.Blockwise;
using Coap.Engine.Messaging;
using Coap.Engine.Server;

namespace Coap.Engine.Tests.Server;

/// <summary>The keys of RTT-based retransmission and Q-Block (RFC 9177) are validated with messages naming them.</summary>
public sealed class TransferOptionsValidationTests
{
    public static TheoryData<string, CoapServerOptions> BadSettings => new()
    {
        { "Coap:Transmission:MinRto", new CoapServerOptions { Transmission = new CoapTransmissionOptions { MinRto = TimeSpan.Zero } } },
        { "Coap:Transmission:MinRto", new CoapServerOptions { Transmission = new CoapTransmissionOptions { MinRto = TimeSpan.FromMinutes(2) } } },
        { "Coap:QBlock:MaxPayloads", new CoapServerOptions { QBlock = new CoapQBlockOptions { MaxPayloads = 0 } } },
        { "Coap:QBlock:MaxPayloads", new CoapServerOptions { QBlock = new CoapQBlockOptions { MaxPayloads = 65 } } },
        { "Coap:QBlock:MaxWindow", new CoapServerOptions { QBlock = new CoapQBlockOptions { MaxWindow = 5000 } } },
        { "Coap:QBlock:InitialWindow", new CoapServerOptions { QBlock = new CoapQBlockOptions { InitialWindow = 200 } } },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_setting_out_of_range_fails_naming_the_key(string key, CoapServerOptions options)
    {
        var result = new CoapServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new CoapServerOptions();

        Assert.True(new CoapServerOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.Transmission.MeasureRtt);
        Assert.True(new Coap.Engine.Client.CoapClientOptions().Transmission.MeasureRtt);
        Assert.Equal(10, options.QBlock.MaxPayloads);
    }
}

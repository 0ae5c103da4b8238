using Coap.Engine.Server;

namespace Coap.Engine.Tests.Server;

public sealed class ServerOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid_and_observer_check_is_24_hours()
    {
        var options = new CoapServerOptions();

        Assert.True(new CoapServerOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromHours(24), options.ObserverCheck);
    }

    [Fact]
    public void A_non_positive_observer_check_fails_naming_the_key()
    {
        var result = new CoapServerOptionsValidator().Validate(null, new CoapServerOptions { ObserverCheck = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Contains("Coap:ObserverCheck", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 3600, "Coap:AmplificationFactor")]
    [InlineData(3, 0, "Coap:EchoVerificationLifetime")]
    [InlineData(3, 8 * 86400, "Coap:EchoVerificationLifetime")]
    public void Amplification_settings_out_of_range_fail_naming_the_key(int factor, int lifetimeSeconds, string key)
    {
        var options = new CoapServerOptions { AmplificationFactor = factor, EchoVerificationLifetime = TimeSpan.FromSeconds(lifetimeSeconds) };

        var result = new CoapServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }
}

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
}

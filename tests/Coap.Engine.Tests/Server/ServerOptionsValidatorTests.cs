using Coap.Engine.Server;

namespace Coap.Engine.Tests.Server;

public sealed class ServerOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid_and_bound_observers()
    {
        var options = new CoapServerOptions();

        Assert.True(new CoapServerOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ObserverCheck);
        Assert.Equal(20, options.ObserverCheckNotifications);
        Assert.Equal(100, options.MaxObserversPerPeer);
        Assert.Equal(10_000, options.MaxObserversPerResource);
        Assert.Equal(100_000, options.MaxObservers);
    }

    [Fact]
    public void A_non_positive_observer_check_fails_naming_the_key()
    {
        var result = new CoapServerOptionsValidator().Validate(null, new CoapServerOptions { ObserverCheck = TimeSpan.Zero });

        Assert.True(result.Failed);
        Assert.Contains("Coap:ObserverCheck", result.FailureMessage, StringComparison.Ordinal);
    }

    public static TheoryData<string, CoapServerOptions> BadObserverSettings => new()
    {
        { "Coap:ObserverCheck", new CoapServerOptions { ObserverCheck = TimeSpan.FromHours(25) } },
        { "Coap:ObserverCheckNotifications", new CoapServerOptions { ObserverCheckNotifications = 0 } },
        { "Coap:MaxObserversPerPeer", new CoapServerOptions { MaxObserversPerPeer = -1 } },
        { "Coap:MaxObserversPerResource", new CoapServerOptions { MaxObserversPerResource = -1 } },
        { "Coap:MaxObservers", new CoapServerOptions { MaxObservers = -1 } },
    };

    [Theory]
    [MemberData(nameof(BadObserverSettings))]
    public void An_observer_setting_out_of_range_fails_naming_the_key(string key, CoapServerOptions options)
    {
        var result = new CoapServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key + " must", result.FailureMessage, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<CoapServerOptions>> BadLimits => new()
    {
        { "Coap:DeduplicationMemory", o => o.DeduplicationMemory = 1024 },
        { "Coap:DeduplicationMemoryPerPeer", o => o.DeduplicationMemoryPerPeer = o.DeduplicationMemory + 1 },
        { "Coap:MaxDeduplicationEntries", o => o.MaxDeduplicationEntries = 0 },
        { "Coap:MaxPeers", o => o.MaxPeers = 0 },
        { "Coap:MaxPendingUploadBytesPerPeer", o => o.MaxPendingUploadBytesPerPeer = o.MaxPendingUploadBytes + 1 },
        { "Coap:MaxPendingUploadBytesPerPeer", o => o.MaxPendingUploadBytesPerPeer = 100 },
        { "Coap:MaxOpenUploads", o => o.MaxOpenUploads = 0 },
        { "Coap:MaxOpenUploadsPerPeer", o => o.MaxOpenUploadsPerPeer = o.MaxOpenUploads + 1 },
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public void A_bad_memory_or_peer_limit_fails_naming_the_key(string key, Action<CoapServerOptions> spoil)
    {
        var options = new CoapServerOptions();
        spoil(options);

        var result = new CoapServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key + " must", result.FailureMessage, StringComparison.Ordinal);
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

    [Fact]
    public void A_configuration_that_sets_the_old_entry_count_is_still_valid()
    {
        Assert.True(new CoapServerOptionsValidator().Validate(null, new CoapServerOptions { MaxDeduplicationEntries = 10_000 }).Succeeded);
    }
}

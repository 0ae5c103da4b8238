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

    [Fact]
    public void A_configuration_that_sets_the_old_entry_count_is_still_valid()
    {
        Assert.True(new CoapServerOptionsValidator().Validate(null, new CoapServerOptions { MaxDeduplicationEntries = 10_000 }).Succeeded);
    }
}

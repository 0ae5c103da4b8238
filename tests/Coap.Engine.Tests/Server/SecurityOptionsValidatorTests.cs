using Coap.Engine.Server;

namespace Coap.Engine.Tests.Server;

/// <summary>The "Coap:Security" and "Coap:Plain" settings are checked at start-up, each message naming its key.</summary>
public sealed class SecurityOptionsValidatorTests
{
    public static TheoryData<string, Action<CoapServerOptions>> BadSettings => new()
    {
        { "Coap:Security:Port", o => o.Security.Port = 65536 },
        { "Coap:Security:Port", o => o.Security.Port = -1 },
        { "Coap:Security:MaxHandshakes", o => o.Security.MaxHandshakes = 0 },
        { "Coap:Security:MaxHandshakes", o => o.Security.MaxHandshakes = 1025 },
        { "Coap:Security:HandshakeTimeout", o => o.Security.HandshakeTimeout = TimeSpan.FromMilliseconds(500) },
        { "Coap:Security:HandshakeTimeout", o => o.Security.HandshakeTimeout = TimeSpan.FromMinutes(6) },
        { "Coap:Security:MaxSessions", o => o.Security.MaxSessions = 0 },
        { "Coap:Security:SessionIdleTimeout", o => o.Security.SessionIdleTimeout = TimeSpan.Zero },
        { "Coap:Security:SessionIdleTimeout", o => o.Security.SessionIdleTimeout = TimeSpan.FromDays(2) },
        { "Coap:Plain:Enabled", o => o.Plain.Enabled = false },
        { "Coap:Security:PrivateKeyFile", o => o.Security.CertificateFile = "server.pem" },
        { "Coap:Security:CertificateFile", o => o.Security.PrivateKeyFile = "server.key" },
        { "Coap:Security:CaFile", o => o.Security.CaFile = "ca.pem" },
    };

    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new CoapServerOptions();

        Assert.True(new CoapServerOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.Plain.Enabled);
        Assert.Null(options.Security.PskFile);
        Assert.Equal(5684, options.Security.Port);
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_setting_out_of_range_fails_naming_the_key(string key, Action<CoapServerOptions> change)
    {
        var options = new CoapServerOptions();
        change(options);

        var result = new CoapServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_switched_off_is_fine_when_coaps_listens()
    {
        var options = new CoapServerOptions { Plain = { Enabled = false }, Security = { PskFile = "keys.txt" } };

        Assert.True(new CoapServerOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Plain_switched_off_is_fine_when_coaps_listens_with_a_certificate_only()
    {
        var options = new CoapServerOptions
        {
            Plain = { Enabled = false },
            Security = { CertificateFile = "server.pem", PrivateKeyFile = "server.key", CaFile = "ca.pem" },
        };

        Assert.True(new CoapServerOptionsValidator().Validate(null, options).Succeeded);
    }
}

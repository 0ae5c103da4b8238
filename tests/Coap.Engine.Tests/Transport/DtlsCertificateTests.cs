using Coap.Engine.Hosting;
using Coap.Engine.Transport.Dtls;
using Coap.Testing.Programs;

namespace Coap.Engine.Tests.Transport;

/// <summary>Reading a certificate, its key and a CA bundle from PEM files, with messages that name the setting.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DtlsCertificateTests : IAsyncLifetime
{
    private TestCertificates _pki = null!;
    private (string Certificate, string Key) _server;
    private (string Certificate, string Key) _other;

    public async Task InitializeAsync()
    {
        _pki = await TestCertificates.CreateAsync();
        _server = await _pki.IssueAsync("server", "localhost");
        _other = await _pki.IssueAsync("other", "other");
    }

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void A_certificate_and_its_key_load()
    {
        Assert.NotNull(DtlsCertificate.Load(_server.Certificate, _server.Key, "Cert", "Key"));
        Assert.False(DtlsTrustAnchors.Load(_pki.Ca, "Ca").IsSystem);
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused_naming_both_settings()
    {
        var error = Assert.Throws<CoapConfigurationException>(() => DtlsCertificate.Load(_server.Certificate, _other.Key, "Cert", "Key"));

        Assert.Equal($"Key '{_other.Key}' is not the private key of the first certificate in Cert '{_server.Certificate}'.", error.Message);
    }

    [Fact]
    public void A_key_file_others_may_read_is_refused()
    {
        File.SetUnixFileMode(_server.Key, UnixFileMode.UserRead | UnixFileMode.GroupRead);

        var error = Assert.Throws<CoapConfigurationException>(() => DtlsCertificate.Load(_server.Certificate, _server.Key, "Cert", "Key"));

        Assert.StartsWith($"Key '{_server.Key}' may be read or written by other users (mode 440)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_certificates_is_refused()
    {
        var error = Assert.Throws<CoapConfigurationException>(() => DtlsTrustAnchors.Load(_server.Key, "Ca"));

        Assert.Equal($"Ca '{_server.Key}' holds no PEM CERTIFICATE block.", error.Message);
    }
}

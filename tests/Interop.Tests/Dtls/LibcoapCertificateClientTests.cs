using Coap.Engine.Transport.Dtls;
using Coap.Testing.Programs;

namespace Interop.Tests.Dtls;

/// <summary>
/// libcoap's coap-client built with OpenSSL and with GnuTLS against our DTLS server in certificate mode
/// (ECDHE-ECDSA, P-256, a test CA made by openssl): mutual authentication with the client certificate's CN as the
/// identity handlers see, a client certificate from another CA refused while others are served, and a server that
/// offers PSK and certificates serving both kinds of client.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LibcoapCertificateClientTests : IAsyncLifetime
{
    private TestCertificates _pki = null!;
    private (string Certificate, string Key) _client;
    private (string Certificate, string Key) _stranger;
    private DtlsServerHarness _server = null!;

    public static TheoryData<string> Clients => ["coap-client-openssl", "coap-client-gnutls"];

    public async Task InitializeAsync()
    {
        _pki = await TestCertificates.CreateAsync();
        var server = await _pki.IssueAsync("server", "localhost");
        _client = await _pki.IssueAsync("client", "carol");
        _stranger = await _pki.IssueAsync("stranger", "mallory", "other-ca");
        var certificate = DtlsCertificate.Load(server.Certificate, server.Key, "server certificate", "server key");
        _server = new DtlsServerHarness(
            credentials: new DtlsServerCredentials(DtlsServerHarness.TestKeys, certificate, DtlsTrustAnchors.Load(_pki.Ca, "ca")));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _pki.Dispose();
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Get_with_a_client_certificate_reaches_the_handler_with_its_common_name(string client)
    {
        var result = await RunAsync(client, ["-c", _client.Certificate, "-j", _client.Key, "-C", _pki.Ca, "-m", "get", _server.Uri("whoami")]);

        Assert.Contains("you are carol", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_client_certificate_from_another_ca_gets_no_request_through_and_others_are_still_served(string client)
    {
        var refused = await RunAsync(client, ["-c", _stranger.Certificate, "-j", _stranger.Key, "-C", _pki.Ca, "-m", "get", _server.Uri("whoami")]);
        var served = await RunAsync(client, ["-c", _client.Certificate, "-j", _client.Key, "-C", _pki.Ca, "-m", "get", _server.Uri("whoami")]);

        Assert.DoesNotContain("you are", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, _server.WhoAmI.Calls);
        Assert.Contains("you are carol", served.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_server_with_psk_and_certificates_serves_a_psk_client_too(string client)
    {
        var result = await RunAsync(client, ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-m", "get", _server.Uri("whoami")]);

        Assert.Contains("you are alice", result.StandardOutput, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> RunAsync(string client, string[] arguments) =>
        Tool.RunAsync(Tool.Find(client), ["-B", "20", .. arguments], TimeSpan.FromSeconds(40));
}

using System.Net;
using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Transport.Dtls;
using Coap.Testing;
using Coap.Testing.Programs;

namespace Coap.Cli.Tests.Commands;

/// <summary>
/// coaps:// with certificates from the command line (--cert, --cert-key, --ca) against libcoap's DTLS servers with
/// a test CA made by openssl (mutual authentication), and against our own server, which sees the certificate's CN; a
/// server certificate from another CA, or one no --ca vouches for, is one line on stderr and exit 1.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CoapsCertificateCommandTests : IAsyncLifetime
{
    private TestCertificates _pki = null!;
    private (string Certificate, string Key) _server;
    private (string Certificate, string Key) _impostor;
    private (string Certificate, string Key) _client;

    public static TheoryData<string> Servers => ["coap-server-openssl", "coap-server-gnutls"];

    public async Task InitializeAsync()
    {
        _pki = await TestCertificates.CreateAsync();
        _server = await _pki.IssueAsync("server", "localhost");
        _impostor = await _pki.IssueAsync("impostor", "localhost", "other-ca");
        _client = await _pki.IssueAsync("client", "carol");
    }

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Get_with_certificates_against_libcoap(string program)
    {
        await using var server = await LibcoapServer.StartAsync(program, "-c", _server.Certificate, "-j", _server.Key, "-C", _pki.Ca);

        var result = await CliRun.RunAsync("get", server.SecureUri("time"), "--cert", _client.Certificate, "--cert-key", _client.Key, "--ca", _pki.Ca, "-B", "10");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.NotEmpty(result.Output);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task A_server_certificate_from_another_ca_is_one_line_on_stderr_and_exit_1(string program)
    {
        await using var server = await LibcoapServer.StartAsync(program, "-c", _impostor.Certificate, "-j", _impostor.Key, "-C", _pki.OtherCa);

        var result = await CliRun.RunAsync("get", server.SecureUri("time"), "--cert", _client.Certificate, "-j", _client.Key, "-C", _pki.Ca, "-B", "10");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^coap: DTLS handshake with 127\.0\.0\.1:\d+ failed: unknown_ca \(the peer's certificate 'CN=localhost' does not verify against the CA file: [^\n]+\)\n$", result.Error.ReplaceLineEndings("\n"));
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Without_ca_the_server_is_verified_against_the_system_store_and_a_test_ca_is_not_in_it()
    {
        await using var server = await LibcoapServer.StartAsync("coap-server-openssl", "-c", _server.Certificate, "-j", _server.Key);

        var result = await CliRun.RunAsync("get", server.SecureUri("time"), "--cert", _client.Certificate, "--cert-key", _client.Key, "-B", "10");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not verify against the system's CAs", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_server_sees_the_common_name_of_our_client_certificate()
    {
        var tree = new ResourceTree();
        tree.Map("whoami", new TestResource(c => ValueTask.FromResult(
            CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes($"you are {c.Identity ?? "anonymous"}"), ContentFormat.TextPlain))));
        var credentials = new DtlsServerCredentials(
            null,
            DtlsCertificate.Load(_server.Certificate, _server.Key, "server certificate", "server key"),
            DtlsTrustAnchors.Load(_pki.Ca, "ca"));
        var transport = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), credentials, new CoapSecurityOptions());
        await using var endpoint = TestEndpoints.StartServer(tree, transport);

        var result = await CliRun.RunAsync(
            "get", $"coaps://127.0.0.1:{transport.LocalEndPoint.Port}/whoami", "--cert", _client.Certificate, "--cert-key", _client.Key, "--ca", _pki.Ca, "-B", "10");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Equal("you are carol", result.Text.TrimEnd());
    }

    [Theory]
    [InlineData("coap: --cert needs its private key: --cert-key FILE", "--cert", "/nonexistent")]
    [InlineData("coap: --cert-key needs a certificate: --cert FILE", "--cert-key", "/nonexistent")]
    [InlineData("coap: give PSK credentials (-u with -k or --key-file) or certificates (--cert, --cert-key, --ca), not both", "--ca", "/nonexistent", "-u", "alice", "-k", "secret")]
    public async Task Certificate_options_that_cannot_be_used_exit_2(string message, params string[] options)
    {
        var result = await CliRun.RunAsync(["get", "coaps://127.0.0.1/time", .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message + Environment.NewLine, result.Error);
    }

    [Fact]
    public async Task A_certificate_key_other_users_may_read_is_refused_with_exit_2()
    {
        File.SetUnixFileMode(_client.Key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await CliRun.RunAsync("get", "coaps://127.0.0.1/time", "--cert", _client.Certificate, "--cert-key", _client.Key);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"coap: --cert-key '{_client.Key}' may be read or written by other users (mode 604); allow its owner only: chmod 600 '{_client.Key}'" + Environment.NewLine, result.Error);
    }
}

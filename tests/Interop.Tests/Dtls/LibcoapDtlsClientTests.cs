using System.Globalization;
using System.Security.Cryptography;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Dtls;

/// <summary>
/// libcoap's coap-client built with OpenSSL and with GnuTLS talks to our DTLS-PSK server (RFC 7252 §9): GET, a 1 MiB
/// block-wise PUT and GET, Observe, DELETE; a wrong key or an unknown identity gets nowhere while others are served; a
/// client restarted on the same port reconnects; close_notify ends the session.
/// </summary>
public sealed class LibcoapDtlsClientTests : IAsyncLifetime
{
    private readonly DtlsServerHarness _server = new();
    private readonly string _file = Path.GetTempFileName();

    public static TheoryData<string> Clients => ["coap-client-openssl", "coap-client-gnutls"];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        File.Delete(_file);
        await _server.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Get_reaches_the_handler_with_the_psk_identity(string client)
    {
        var result = await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-m", "get", _server.Uri("whoami"));

        Assert.Contains("you are alice", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Hex_key_works_too(string client)
    {
        var result = await RunAsync(client, "bob", "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008", "-m", "get", _server.Uri("whoami"));

        Assert.Contains("you are bob", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Put_of_one_mebibyte_block_wise_arrives_byte_identical(string client)
    {
        await File.WriteAllBytesAsync(_file, _server.Body);

        await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-m", "put", "-b", "1024", "-f", _file, _server.Uri("store"));

        Assert.NotNull(_server.Stored);
        Assert.Equal(Hash(_server.Body), Hash(_server.Stored));
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Get_of_one_mebibyte_block_wise_is_byte_identical(string client)
    {
        File.Delete(_file);

        await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-m", "get", "-b", "1024", "-o", _file, _server.Uri("data"));

        Assert.Equal(Hash(_server.Body), Hash(File.Exists(_file) ? await File.ReadAllBytesAsync(_file) : []));
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Observe_delivers_increasing_notifications(string client)
    {
        var result = await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-s", "3", "-m", "get", _server.Uri("counter"));

        var values = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
        Assert.True(values.Distinct().Count() >= 3, $"notifications: {result.StandardOutput} {result.StandardError}");
        Assert.Equal(values.Order(), values);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Delete_is_answered(string client)
    {
        await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-m", "delete", _server.Uri("gone"));

        Assert.Equal(1, _server.Gone.Calls);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_wrong_key_gets_no_request_through_and_others_are_still_served(string client)
    {
        // libcoap's client exits 0 even when the handshake fails: what counts is that nothing reached a handler.
        var wrong = await RunAsync(client, DtlsServerHarness.Identity, "not-the-key", "-B", "4", "-m", "get", _server.Uri("whoami"));

        Assert.DoesNotContain("you are", wrong.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
        var right = await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-m", "get", _server.Uri("whoami"));
        Assert.Contains("you are alice", right.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task An_unknown_identity_gets_no_request_through_and_others_are_still_served(string client)
    {
        var unknown = await RunAsync(client, "mallory", DtlsServerHarness.Key, "-B", "4", "-m", "get", _server.Uri("whoami"));

        Assert.DoesNotContain("you are", unknown.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
        var right = await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-m", "get", _server.Uri("whoami"));
        Assert.Contains("you are alice", right.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Close_notify_ends_the_session(string client)
    {
        await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-m", "get", _server.Uri("whoami"));

        // The client sends close_notify as it exits; the session is forgotten when it arrives.
        Assert.True(SpinWait.SpinUntil(() => _server.Transport.SessionCount == 0, TimeSpan.FromSeconds(10)), $"{_server.Transport.SessionCount} sessions left");
        Assert.Equal(1, _server.WhoAmI.Calls);
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_client_restarted_on_the_same_port_reconnects(string client)
    {
        var port = Tool.FreeUdpPort();

        // The first client observes and is killed: no close_notify, so the server still holds its session.
        using (var first = Tool.Start(Tool.Find(client), ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-p", port.ToString(CultureInfo.InvariantCulture), "-B", "30", "-s", "30", "-m", "get", _server.Uri("counter")]))
        {
            try
            {
                Assert.True(SpinWait.SpinUntil(() => _server.Counter.Observers.Count == 1, TimeSpan.FromSeconds(15)), "the first client never observed");
            }
            finally
            {
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }
        }

        Assert.Equal(1, _server.Transport.SessionCount);
        var second = await RunAsync(client, DtlsServerHarness.Identity, DtlsServerHarness.Key, "-p", port.ToString(CultureInfo.InvariantCulture), "-m", "get", _server.Uri("whoami"));

        Assert.Contains("you are alice", second.StandardOutput, StringComparison.Ordinal);

        // The first client's observation was bound to the session the new handshake replaced: it ended with it, and no
        // notification with the old token reaches the new client (which took one for its answer before).
        Assert.Equal(0, _server.Counter.Observers.Count);
    }

    private static Task<ProcessResult> RunAsync(string client, string identity, string key, params string[] arguments) =>
        Tool.RunAsync(Tool.Find(client), ["-u", identity, "-k", key, .. arguments.Contains("-B") ? arguments : ["-B", "20", .. arguments]], TimeSpan.FromSeconds(40));

    private static string Hash(byte[] data) => Convert.ToHexString(SHA256.HashData(data));
}

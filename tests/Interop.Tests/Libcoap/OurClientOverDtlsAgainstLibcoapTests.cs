using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Interop.Tests.Libcoap;

/// <summary>
/// Our CoapClient over coaps:// (DTLS 1.2, PSK) against libcoap's DTLS servers, coap-server-openssl and
/// coap-server-gnutls: requests, block-wise transfers and observations go through one session per server, and a
/// handshake that cannot succeed fails with a <see cref="DtlsHandshakeException"/> that says why.
/// </summary>
public sealed class OurClientOverDtlsAgainstLibcoapTests
{
    private const string Key = "secretPSK";

    public static TheoryData<string> Servers => ["coap-server-openssl", "coap-server-gnutls"];

    private static CoapClient Client(string key = Key, string identity = "alice") => new(new CoapClientOptions
    {
        Timeout = TimeSpan.FromSeconds(10),
        Psk = new PskCredentials(identity, Encoding.UTF8.GetBytes(key)),
        HandshakeTimeout = TimeSpan.FromSeconds(2),
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Get_put_blockwise_delete_and_observe_go_through_one_session(string program)
    {
        await using var server = await LibcoapServer.StartPskAsync(program, Key);
        await using var client = Client();
        var body = new byte[256 * 1024 + 7];
        new Random(7).NextBytes(body);

        var time = await client.GetAsync(server.SecureUri("time"));
        var put = await client.PutAsync(server.SecureUri("upload"), body, ContentFormat.OctetStream);
        var get = await client.GetAsync(server.SecureUri("upload"));
        var notifications = new List<int>();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await foreach (var notification in client.ObserveAsync(server.SecureUri("time"), stop.Token))
            {
                notifications.Add(notification.Observe ?? -1);
                if (notifications.Count == 2)
                {
                    break;
                }
            }
        }

        var delete = await client.DeleteAsync(server.SecureUri("upload"));
        var gone = await client.GetAsync(server.SecureUri("upload"));

        Assert.Equal(CoapCode.Content, time.Code);
        Assert.Equal(CoapCode.Created, put.Code);
        Assert.Equal(CoapCode.Content, get.Code);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Convert.ToHexString(SHA256.HashData(get.Payload.Span)));
        Assert.Equal(2, notifications.Count);
        Assert.True(notifications[1] > notifications[0], string.Join(",", notifications));
        Assert.Equal(CoapCode.Deleted, delete.Code);
        Assert.Equal(CoapCode.NotFound, gone.Code);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Plain_coap_to_the_same_server_still_works_beside_a_session(string program)
    {
        await using var server = await LibcoapServer.StartPskAsync(program, Key);
        await using var client = Client();

        var secure = await client.GetAsync(server.SecureUri("time"));
        var plain = await client.GetAsync(server.Uri("time"));

        Assert.Equal(CoapCode.Content, secure.Code);
        Assert.Equal(CoapCode.Content, plain.Code);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task A_wrong_key_fails_the_handshake_with_a_message_that_says_so(string program)
    {
        await using var server = await LibcoapServer.StartPskAsync(program, Key);
        await using var client = Client(key: "not-the-key");

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => client.GetAsync(server.SecureUri("time")));

        // libcoap's servers drop the Finished they cannot decrypt: the handshake ends at its timeout, after answers.
        Assert.Equal($"DTLS handshake with 127.0.0.1:{server.Port + 1} failed: the handshake did not finish within 2 s: wrong key for identity 'alice'?", error.Message);
    }

    [Fact]
    public async Task No_server_fails_the_handshake_with_a_message_that_says_so()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.LocalEndPoint!).Port;
        await using var client = Client();

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => client.GetAsync($"coaps://127.0.0.1:{port}/time"));

        Assert.Equal($"DTLS handshake with 127.0.0.1:{port} failed: no answer within 2 s: no DTLS server there, or it dropped the handshake (wrong key?)", error.Message);
    }

    [Fact]
    public async Task A_closed_port_fails_the_handshake_as_unreachable()
    {
        var port = Tool.FreeUdpPort();
        await using var client = Client();

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => client.GetAsync($"coaps://127.0.0.1:{port}/time"));

        Assert.Equal($"DTLS handshake with 127.0.0.1:{port} failed: nothing listens there (ICMP port unreachable)", error.Message);
    }

    [Fact]
    public async Task Coaps_without_credentials_is_refused_before_anything_is_sent()
    {
        await using var client = new CoapClient();

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => client.GetAsync("coaps://127.0.0.1:5684/time"));

        Assert.Contains("needs DTLS credentials", error.Message);
    }
}

using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Transport;

namespace Coap.Engine.Tests.Client;

/// <summary>
/// The client's coaps:// sessions against a BouncyCastle DTLS server (<see cref="PskDtlsPeer"/>): one handshake for
/// many requests, close_notify when the client is disposed, the key handed out afresh to every handshake, and an
/// unknown identity named in the error.
/// </summary>
public sealed class CoapClientDtlsTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("secretPSK");

    private static CoapClientOptions Options(string identity) => new()
    {
        Timeout = TimeSpan.FromSeconds(10),
        Psk = new PskCredentials(identity, Key),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Requests_share_one_session_which_ends_with_close_notify_when_the_client_is_disposed()
    {
        using var server = new PskDtlsPeer("alice", Key);
        var client = new CoapClient(Options("alice"));
        CoapMessage[] responses;
        await using (client)
        {
            responses = [await client.GetAsync(server.Uri("a")), await client.GetAsync(server.Uri("b")), await client.GetAsync(server.Uri("c/d"))];
        }

        await server.CloseNotified.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["/a", "/b", "/c/d"], responses.Select(response => Encoding.UTF8.GetString(response.Payload.Span)));
        Assert.Equal(1, server.Handshakes);
    }

    [Fact]
    public async Task The_same_credentials_serve_a_second_client()
    {
        using var server = new PskDtlsPeer("alice", Key);
        var options = Options("alice");

        await using (var first = new CoapClient(options))
        {
            Assert.Equal(CoapCode.Content, (await first.GetAsync(server.Uri("x"))).Code);
        }

        await using var second = new CoapClient(options);
        Assert.Equal(CoapCode.Content, (await second.GetAsync(server.Uri("y"))).Code);
        Assert.Equal(2, server.Handshakes);
    }

    [Fact]
    public async Task A_request_that_times_out_makes_the_next_one_start_a_new_session()
    {
        var options = Options("alice");
        options.Timeout = TimeSpan.FromSeconds(2);
        await using var client = new CoapClient(options);
        int port;
        using (var first = new PskDtlsPeer("alice", Key))
        {
            port = first.Port;
            Assert.Equal(CoapCode.Content, (await client.GetAsync(first.Uri("a"))).Code);
        }

        // A server restarted on the same port knows nothing of the session and cannot read what is sent in it.
        using var restarted = new PskDtlsPeer("alice", Key, port);
        await Assert.ThrowsAsync<CoapTimeoutException>(() => client.GetAsync(restarted.Uri("b")));
        var again = await client.GetAsync(restarted.Uri("c"));

        Assert.Equal("/c", Encoding.UTF8.GetString(again.Payload.Span));
        Assert.Equal(1, restarted.Handshakes);
    }

    [Fact]
    public async Task An_unknown_identity_is_named_in_the_error()
    {
        using var server = new PskDtlsPeer("alice", Key);
        await using var client = new CoapClient(Options("mallory"));

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => client.GetAsync(server.Uri("a")));

        Assert.Equal($"DTLS handshake with 127.0.0.1:{server.Port} failed: the server refused identity 'mallory' (unknown_psk_identity)", error.Message);
        Assert.Equal(0, server.Handshakes);
    }

    [Fact]
    public async Task A_failed_handshake_is_tried_again_by_the_next_request()
    {
        using var server = new PskDtlsPeer("alice", Key);
        await using var client = new CoapClient(Options("alice"));
        var closed = $"coaps://127.0.0.1:{Coap.Testing.Programs.Tool.FreeUdpPort()}/a";

        await Assert.ThrowsAsync<DtlsHandshakeException>(() => client.GetAsync(closed));
        var again = await Assert.ThrowsAsync<DtlsHandshakeException>(() => client.GetAsync(closed));
        var other = await client.GetAsync(server.Uri("a"));

        Assert.Contains("unreachable", again.Message);
        Assert.Equal(CoapCode.Content, other.Code);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(301)]
    public void The_handshake_timeout_is_one_second_to_five_minutes(double seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CoapClientOptions { HandshakeTimeout = TimeSpan.FromSeconds(seconds) });
}

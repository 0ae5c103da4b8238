using System.Net;
using Coap.Engine.Codec;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Exchanges;

/// <summary>The amplification cap and the Echo round trip that verifies a peer's address (RFC 9175 §2.4).</summary>
public sealed class AmplificationTests
{
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("192.0.2.7"), 40000);
    private static readonly byte[] Big = new byte[300];

    private readonly TestResource _big = new(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Big, ContentFormat.OctetStream)));

    private ServerFixture Server(CoapEndpointOptions? options = null) => new(t =>
    {
        t.Map("big", _big);
        t.Map("small", TestResource.Text("ok"));
        t.Map("obs", TestObservableResource.Text(() => "now"), TestObservableResource.Metadata);
    }, options);

    private static LockstepPeer From(ServerFixture server, IPEndPoint endPoint) => new(server.Transport, endPoint);

    private static CoapMessage Echoing(CoapMessage request, CoapMessage challenge)
    {
        Assert.True(challenge.Options.TryGet(OptionNumber.Echo, out var echo));
        request.Options.Add(echo);
        return request;
    }

    [Fact]
    public async Task Large_response_to_an_unverified_peer_is_replaced_by_4_01_with_echo_within_three_times_the_request()
    {
        await using var server = Server();
        var peer = From(server, Remote);
        var request = ServerFixture.Request(CoapCode.Get, "big", 1);

        peer.Send(request);
        var challenge = peer.Expect();

        Assert.Equal(CoapCode.Unauthorized, challenge.Code);
        Assert.Equal(CoapMessageType.Acknowledgement, challenge.Type);
        Assert.Equal(request.Token, challenge.Token);
        Assert.True(challenge.Options.TryGet(OptionNumber.Echo, out var echo));
        Assert.InRange(echo.Value.Length, 8, 40);
        Assert.True(challenge.Payload.IsEmpty);
        Assert.InRange(CoapMessageWriter.ToArray(challenge).Length, 1, 3 * CoapMessageWriter.ToArray(request).Length);
        Assert.Equal(1, _big.Calls);

        peer.Send(ServerFixture.Request(CoapCode.Get, "small", 2));
        Assert.Equal(CoapCode.Content, peer.Expect().Code);
    }

    [Fact]
    public async Task Repeating_the_request_with_the_echo_verifies_the_peer_for_later_requests()
    {
        await using var server = Server();
        var peer = From(server, Remote);
        peer.Send(ServerFixture.Request(CoapCode.Get, "big", 1));
        var challenge = peer.Expect();

        peer.Send(Echoing(ServerFixture.Request(CoapCode.Get, "big", 2, token: 0xBEEF), challenge));
        var answer = peer.Expect();
        peer.Send(ServerFixture.Request(CoapCode.Get, "big", 3, token: 0xF00D));
        var later = peer.Expect();

        Assert.Equal(CoapCode.Content, answer.Code);
        Assert.Equal(Big.Length, answer.Payload.Length);
        Assert.Equal(CoapCode.Content, later.Code);
        Assert.Equal(Big.Length, later.Payload.Length);
    }

    [Fact]
    public async Task Peer_of_a_transport_that_verifies_addresses_is_never_challenged()
    {
        await using var server = Server();
        server.Transport.VerifiesAddresses = true;
        var peer = From(server, Remote);

        peer.Send(ServerFixture.Request(CoapCode.Get, "big", 1));
        var answer = peer.Expect();
        peer.Send(Get("obs", 2, 0xA2));
        var registration = peer.Expect();

        Assert.Equal(CoapCode.Content, answer.Code);
        Assert.Equal(Big.Length, answer.Payload.Length);
        Assert.Equal(CoapCode.Content, registration.Code);
        Assert.NotNull(registration.Observe);
    }

    [Fact]
    public async Task Loopback_peer_counts_as_verified_unless_configured_otherwise()
    {
        await using var trusting = Server();
        await using var strict = Server(new CoapEndpointOptions { LoopbackPeersVerified = false });

        trusting.Peer.Send(ServerFixture.Request(CoapCode.Get, "big", 1));
        strict.Peer.Send(ServerFixture.Request(CoapCode.Get, "big", 1));

        Assert.Equal(CoapCode.Content, trusting.Peer.Expect().Code);
        Assert.Equal(CoapCode.Unauthorized, strict.Peer.Expect().Code);
    }

    [Fact]
    public async Task Forged_echo_does_not_verify()
    {
        await using var server = Server();
        var peer = From(server, Remote);
        var request = ServerFixture.Request(CoapCode.Get, "big", 1);
        request.Options.Add(OptionNumber.Echo, new byte[12]);

        peer.Send(request);
        var answer = peer.Expect();

        Assert.Equal(CoapCode.Unauthorized, answer.Code);
        Assert.True(answer.Options.TryGet(OptionNumber.Echo, out var fresh));
        Assert.False(fresh.Value.Span.SequenceEqual(new byte[12]));
    }

    [Fact]
    public async Task Echo_given_to_another_address_or_port_does_not_verify()
    {
        await using var server = Server();
        var victim = From(server, Remote);
        var otherHost = From(server, new IPEndPoint(IPAddress.Parse("192.0.2.8"), Remote.Port));
        var otherPort = From(server, new IPEndPoint(Remote.Address, Remote.Port + 1));
        victim.Send(ServerFixture.Request(CoapCode.Get, "big", 1));
        var challenge = victim.Expect();

        otherHost.Send(Echoing(ServerFixture.Request(CoapCode.Get, "big", 2), challenge));
        otherPort.Send(Echoing(ServerFixture.Request(CoapCode.Get, "big", 3), challenge));

        Assert.Equal(CoapCode.Unauthorized, otherHost.Expect().Code);
        Assert.Equal(CoapCode.Unauthorized, otherPort.Expect().Code);
    }

    [Fact]
    public async Task Echo_older_than_a_minute_does_not_verify()
    {
        await using var server = Server();
        var peer = From(server, Remote);
        peer.Send(ServerFixture.Request(CoapCode.Get, "big", 1));
        var challenge = peer.Expect();

        server.Time.Advance(TimeSpan.FromSeconds(62));
        peer.Send(Echoing(ServerFixture.Request(CoapCode.Get, "big", 2), challenge));

        Assert.Equal(CoapCode.Unauthorized, peer.Expect().Code);
    }

    [Fact]
    public async Task Echo_from_another_server_process_does_not_verify()
    {
        await using var first = Server();
        await using var second = Server();
        From(first, Remote).Send(ServerFixture.Request(CoapCode.Get, "big", 1));
        var challenge = From(first, Remote).Expect();

        var peer = From(second, Remote);
        peer.Send(Echoing(ServerFixture.Request(CoapCode.Get, "big", 2), challenge));

        Assert.Equal(CoapCode.Unauthorized, peer.Expect().Code);
    }

    [Fact]
    public async Task Verification_ends_after_its_lifetime()
    {
        await using var server = Server(new CoapEndpointOptions { EchoVerificationLifetime = TimeSpan.FromSeconds(30) });
        var peer = From(server, Remote);
        peer.Send(ServerFixture.Request(CoapCode.Get, "big", 1));
        peer.Send(Echoing(ServerFixture.Request(CoapCode.Get, "big", 2), peer.Expect()));
        Assert.Equal(CoapCode.Content, peer.Expect().Code);

        server.Time.Advance(TimeSpan.FromSeconds(31));
        peer.Send(ServerFixture.Request(CoapCode.Get, "big", 3));

        Assert.Equal(CoapCode.Unauthorized, peer.Expect().Code);
    }

    [Fact]
    public async Task Observe_registration_from_an_unverified_peer_is_challenged_before_the_handler_runs()
    {
        var resource = TestObservableResource.Text(() => "x");
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        var peer = From(server, Remote);

        peer.Send(Get("obs", 1, 0xA1));
        var challenge = peer.Expect();

        Assert.Equal(CoapCode.Unauthorized, challenge.Code);
        Assert.Null(challenge.Observe);
        Assert.Equal(0, resource.Calls);
        Assert.Equal(0, resource.Observers.Count);

        peer.Send(Echoing(Get("obs", 2, 0xA1), challenge));
        var registered = peer.Expect();

        Assert.Equal(CoapCode.Content, registered.Code);
        Assert.NotNull(registered.Observe);
        Assert.Equal(1, resource.Observers.Count);
    }

    [Fact]
    public async Task Change_to_a_resource_that_needs_a_verified_peer_is_challenged_before_the_handler_runs()
    {
        var resource = new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed)));
        await using var server = new ServerFixture(t => t.Map("act", resource, new ResourceMetadata { ChangesNeedVerifiedPeer = true }));
        var peer = From(server, Remote);

        peer.Send(ServerFixture.Request(CoapCode.Get, "act", 1));
        var read = peer.Expect();
        peer.Send(ServerFixture.Request(CoapCode.Post, "act", 2));
        var challenge = peer.Expect();
        var callsBeforeEcho = resource.Calls;
        peer.Send(Echoing(ServerFixture.Request(CoapCode.Post, "act", 3), challenge));
        var changed = peer.Expect();

        Assert.Equal(CoapCode.Changed, read.Code);
        Assert.Equal(CoapCode.Unauthorized, challenge.Code);
        Assert.Equal(1, callsBeforeEcho);
        Assert.Equal(CoapCode.Changed, changed.Code);
        Assert.Equal(2, resource.Calls);
    }

    [Fact]
    public async Task Block2_continuation_to_an_unverified_peer_is_challenged()
    {
        await using var server = Server();
        var peer = From(server, Remote);
        var request = ServerFixture.Request(CoapCode.Get, "big", 1);
        request.Options.Set(new BlockValue(1, false, BlockValue.ExponentFor(64)).ToOption(OptionNumber.Block2));

        peer.Send(request);

        Assert.Equal(CoapCode.Unauthorized, peer.Expect().Code);
    }

    [Fact]
    public async Task Challenge_that_would_itself_exceed_the_factor_is_a_bare_4_01()
    {
        await using var server = new ServerFixture(t => t.Map("{**path}", _big));
        var peer = From(server, Remote);
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get, MessageId = 1, Token = CoapToken.FromUInt64(7, 1) };

        peer.Send(request);
        var answer = peer.Expect();

        Assert.Equal(CoapCode.Unauthorized, answer.Code);
        Assert.False(answer.Options.Contains(OptionNumber.Echo));
        Assert.True(CoapMessageWriter.ToArray(answer).Length <= CoapMessageWriter.ToArray(request).Length);
    }

    [Fact]
    public async Task Slow_response_to_an_unverified_peer_is_piggybacked_late_instead_of_a_retransmitted_separate_con()
    {
        var answer = new TaskCompletionSource<CoapMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ServerFixture(t => t.Map("slow", new TestResource(_ => new ValueTask<CoapMessage>(answer.Task))));
        var peer = From(server, Remote);
        var request = ServerFixture.Request(CoapCode.Get, "slow", 0x0042);

        peer.Send(request);
        server.Time.Advance(new CoapEndpointOptions().SeparateResponseAfter);
        peer.ExpectNothing();
        server.Time.Advance(TimeSpan.FromSeconds(2));
        peer.Send(request);
        peer.ExpectNothing();
        answer.SetResult(CoapMessage.CreateResponse(CoapCode.Content, "late"u8.ToArray()));
        var response = await peer.ExpectAsync();
        server.Time.Advance(TimeSpan.FromSeconds(60));
        peer.Send(request);
        var replay = peer.Expect();

        Assert.Equal(CoapMessageType.Acknowledgement, response.Type);
        Assert.Equal(0x0042, response.MessageId);
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(CoapMessageWriter.ToArray(response), CoapMessageWriter.ToArray(replay));
        peer.ExpectNothing();
    }

    [Fact]
    public async Task Amplification_factor_is_configurable()
    {
        await using var strict = Server();
        await using var lenient = Server(new CoapEndpointOptions { AmplificationFactor = 100 });

        From(strict, Remote).Send(ServerFixture.Request(CoapCode.Get, "big", 1));
        From(lenient, Remote).Send(ServerFixture.Request(CoapCode.Get, "big", 1));

        Assert.Equal(CoapCode.Unauthorized, From(strict, Remote).Expect().Code);
        Assert.Equal(CoapCode.Content, From(lenient, Remote).Expect().Code);
    }
}

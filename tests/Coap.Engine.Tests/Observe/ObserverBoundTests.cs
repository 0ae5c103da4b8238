using System.Net;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

/// <summary>
/// Coap:MaxObserversPerPeer, MaxObserversPerResource and MaxObservers: a registration beyond a bound is served as a
/// plain GET, without Observe (RFC 7641 §4.1), and every way an observation ends gives its place back.
/// </summary>
public sealed class ObserverBoundTests
{
    private readonly TestObservableResource _first = TestObservableResource.Text(() => "1");
    private readonly TestObservableResource _second = TestObservableResource.Text(() => "2");

    [Fact]
    public async Task A_peer_beyond_its_bound_gets_a_plain_answer_while_another_peer_still_registers()
    {
        await using var server = Start(new CoapEndpointOptions { MaxObserversPerPeer = 2 });
        Assert.NotNull(Register(server.Peer, "one", 1, 0xA1).Observe);
        Assert.NotNull(Register(server.Peer, "two", 2, 0xA2).Observe);

        var refused = Register(server.Peer, "one", 3, 0xA3);
        var other = new LockstepPeer(server.Transport, new IPEndPoint(IPAddress.Loopback, 40001));
        var accepted = Register(other, "one", 4, 0xB1);

        Assert.Equal(CoapCode.Content, refused.Code);
        Assert.Equal("1", Text(refused));
        Assert.Null(refused.Observe);
        Assert.NotNull(accepted.Observe);
        Assert.Equal(2, _first.Observers.Count);
        Assert.Equal(1, _second.Observers.Count);
    }

    [Fact]
    public async Task A_peer_at_its_bound_still_renews_a_registration_with_the_same_token()
    {
        await using var server = Start(new CoapEndpointOptions { MaxObserversPerPeer = 1 });
        Assert.NotNull(Register(server.Peer, "one", 1, 0xA1).Observe);

        // The same token on another resource replaces the observation (RFC 7641 §4.1), so it needs no new place.
        Assert.NotNull(Register(server.Peer, "two", 2, 0xA1).Observe);

        Assert.Equal(0, _first.Observers.Count);
        Assert.Equal(1, _second.Observers.Count);
        Assert.Null(Register(server.Peer, "one", 3, 0xA2).Observe);
    }

    [Fact]
    public async Task Every_way_an_observation_ends_gives_the_peer_its_place_back()
    {
        await using var server = Start(new CoapEndpointOptions { MaxObserversPerPeer = 1 });

        // Deregistration (Observe 1).
        Assert.NotNull(Register(server.Peer, "one", 1, 0xA1).Observe);
        server.Peer.Send(Get("one", 2, 0xA1, observe: 1));
        server.Peer.Expect();

        // An RST for a NON notification.
        Assert.NotNull(Register(server.Peer, "one", 3, 0xA2).Observe);
        _first.Observers.NotifyChanged();
        server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Reset, server.Peer.Expect().MessageId));

        // Eviction by the resource.
        Assert.NotNull(Register(server.Peer, "one", 4, 0xA3).Observe);
        _first.Observers.Evict(0, CoapCode.NotFound);
        server.Peer.Expect();

        Assert.NotNull(Register(server.Peer, "one", 5, 0xA4).Observe);
        Assert.Equal(1, _first.Observers.Count);
    }

    [Fact]
    public async Task A_resource_beyond_its_bound_gets_a_plain_answer()
    {
        await using var server = Start(new CoapEndpointOptions { MaxObserversPerResource = 1 });
        Assert.NotNull(Register(server.Peer, "one", 1, 0xA1).Observe);
        var other = new LockstepPeer(server.Transport, new IPEndPoint(IPAddress.Loopback, 40001));

        var refused = Register(other, "one", 2, 0xB1);
        var elsewhere = Register(other, "two", 3, 0xB2);

        Assert.Equal(CoapCode.Content, refused.Code);
        Assert.Null(refused.Observe);
        Assert.NotNull(elsewhere.Observe);
        Assert.Equal(1, _first.Observers.Count);
    }

    [Fact]
    public async Task The_endpoint_beyond_its_bound_gets_a_plain_answer()
    {
        await using var server = Start(new CoapEndpointOptions { MaxObservers = 2 });
        Assert.NotNull(Register(server.Peer, "one", 1, 0xA1).Observe);
        var other = new LockstepPeer(server.Transport, new IPEndPoint(IPAddress.Loopback, 40001));
        Assert.NotNull(Register(other, "two", 2, 0xB1).Observe);

        var refused = Register(new LockstepPeer(server.Transport, new IPEndPoint(IPAddress.Loopback, 40002)), "one", 3, 0xC1);
        server.Peer.Send(Get("one", 4, 0xA1, observe: 1));
        server.Peer.Expect();
        var accepted = Register(other, "one", 5, 0xB2);

        Assert.Null(refused.Observe);
        Assert.NotNull(accepted.Observe);
    }

    private static CoapMessage Register(LockstepPeer peer, string path, ushort mid, ulong token)
    {
        peer.Send(Get(path, mid, token));
        return peer.Expect();
    }

    private ServerFixture Start(CoapEndpointOptions options) => new(t =>
    {
        t.Map("one", _first, TestObservableResource.Metadata);
        t.Map("two", _second, TestObservableResource.Metadata);
    }, options);
}

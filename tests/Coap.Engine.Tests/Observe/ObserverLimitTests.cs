using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

/// <summary>Capacity, eviction, a per-resource observer check and observable routes: the hooks a pub-sub broker needs.</summary>
public sealed class ObserverLimitTests
{
    private readonly TestObservableResource _resource = TestObservableResource.Text(() => "x");

    [Fact]
    public async Task A_registration_beyond_the_capacity_is_answered_without_observe()
    {
        _resource.Observers.Capacity = 1;
        await using var server = Start();
        server.Peer.Send(Get("obs", 1, 0xA1));
        Assert.NotNull(server.Peer.Expect().Observe);

        server.Peer.Send(Get("obs", 2, 0xA2));
        var refused = server.Peer.Expect();

        Assert.Equal(CoapCode.Content, refused.Code);
        Assert.Null(refused.Observe);
        Assert.Equal(1, _resource.Observers.Count);
    }

    [Fact]
    public async Task A_full_resource_still_renews_a_registration_with_the_same_token()
    {
        _resource.Observers.Capacity = 1;
        await using var server = Start();
        server.Peer.Send(Get("obs", 1, 0xA1));
        Assert.NotNull(server.Peer.Expect().Observe);

        server.Peer.Send(Get("obs", 2, 0xA1));
        var renewed = server.Peer.Expect();

        Assert.NotNull(renewed.Observe);
        Assert.Equal(1, _resource.Observers.Count);
        _resource.Observers.NotifyChanged();
        Assert.Equal(Token(0xA1), server.Peer.Expect().Token);
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Evict_ends_the_newest_observations_with_a_final_error()
    {
        await using var server = Start();
        foreach (var (mid, token) in new[] { ((ushort)1, 0xA1UL), ((ushort)2, 0xA2UL), ((ushort)3, 0xA3UL) })
        {
            server.Peer.Send(Get("obs", mid, token));
            Assert.NotNull(server.Peer.Expect().Observe);
        }

        var evicted = _resource.Observers.Evict(1, CoapCode.NotFound);

        Assert.Equal(2, evicted);
        var finals = new[] { server.Peer.Expect(), server.Peer.Expect() };
        Assert.All(finals, m => Assert.Equal(CoapCode.NotFound, m.Code));
        Assert.All(finals, m => Assert.Null(m.Observe));
        Assert.Equal(new[] { Token(0xA2), Token(0xA3) }, finals.Select(m => m.Token).OrderBy(t => t.ToString()));
        Assert.Equal(1, _resource.Observers.Count);
        _resource.Observers.NotifyChanged();
        Assert.Equal(Token(0xA1), server.Peer.Expect().Token);
        Assert.Equal(0, _resource.Observers.Evict(1, CoapCode.NotFound));
    }

    [Fact]
    public async Task A_resource_observer_check_overrides_the_endpoint_setting()
    {
        _resource.Observers.ObserverCheck = TimeSpan.FromSeconds(2);
        await using var server = Start();
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();

        _resource.Observers.NotifyChanged();
        Assert.Equal(CoapMessageType.NonConfirmable, server.Peer.Expect().Type);
        server.Time.Advance(TimeSpan.FromSeconds(3));
        _resource.Observers.NotifyChanged();

        Assert.Equal(CoapMessageType.Confirmable, server.Peer.Expect().Type);
    }

    [Fact]
    public void A_negative_capacity_or_a_zero_observer_check_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _resource.Observers.Capacity = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => _resource.Observers.ObserverCheck = TimeSpan.Zero);
    }

    [Fact]
    public async Task An_observable_route_keeps_separate_observers_per_match_and_may_refuse()
    {
        var route = new PerNameRoute();
        await using var server = new ServerFixture(t => t.Map("r/{name}", route, new ResourceMetadata { Observable = true }));
        server.Peer.Send(Get("r/a", 1, 0xA1));
        Assert.NotNull(server.Peer.Expect().Observe);
        server.Peer.Send(Get("r/b", 2, 0xB1));
        Assert.NotNull(server.Peer.Expect().Observe);
        server.Peer.Send(Get("r/closed", 3, 0xC1));
        Assert.Null(server.Peer.Expect().Observe);

        route.Observers["a"].NotifyChanged();
        var notification = server.Peer.Expect();

        Assert.Equal(Token(0xA1), notification.Token);
        Assert.Equal("a", Text(notification));
        server.Peer.ExpectNothing();
        Assert.Equal(1, route.Observers["b"].Count);
    }

    private ServerFixture Start() => new(t => t.Map("obs", _resource, TestObservableResource.Metadata));

    private sealed class PerNameRoute : IObservableRoute
    {
        public Dictionary<string, ResourceObservers> Observers { get; } = new() { ["a"] = new(), ["b"] = new() };

        public ResourceObservers? ObserversOf(CoapRequestContext context) => Observers.GetValueOrDefault(context.Route["name"] ?? string.Empty);

        public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context) =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, System.Text.Encoding.UTF8.GetBytes(context.Route["name"] ?? string.Empty), ContentFormat.TextPlain));
    }
}

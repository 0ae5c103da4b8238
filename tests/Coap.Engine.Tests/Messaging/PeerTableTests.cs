using System.Net;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Messaging;

public sealed class PeerTableTests
{
    private readonly InMemoryTransport _transport = new(new IPEndPoint(IPAddress.Loopback, 5683));

    [Fact]
    public void A_full_table_forgets_the_least_recently_active_peer()
    {
        var table = new PeerTable(_transport, 3);
        var first = table.GetOrAdd(Address(1), 1)!;
        var second = table.GetOrAdd(Address(2), 2)!;
        table.GetOrAdd(Address(3), 3);
        Assert.Same(first, table.GetOrAdd(Address(1), 4));

        table.GetOrAdd(Address(4), 5);

        Assert.Equal(3, table.Count);
        Assert.Same(first, table.GetOrAdd(Address(1), 6));
        Assert.Equal(3, table.Count);
        Assert.NotSame(second, table.GetOrAdd(Address(2), 7));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void A_peer_that_observes_is_never_forgotten_and_a_table_full_of_them_refuses_newcomers()
    {
        var table = new PeerTable(_transport, 2);
        var observer = table.GetOrAdd(Address(1), 1)!;
        observer.AddObservations(1);
        table.GetOrAdd(Address(2), 2);

        Assert.NotNull(table.GetOrAdd(Address(3), 3));
        Assert.Same(observer, table.GetOrAdd(Address(1), 4));
        table.GetOrAdd(Address(3), 5)!.AddObservations(1);

        Assert.Null(table.GetOrAdd(Address(4), 6));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void A_peer_with_one_request_in_flight_of_several_allowed_is_not_forgotten()
    {
        var table = new PeerTable(_transport, 2);
        var upstream = table.GetOrAdd(Address(1), 1)!;
        upstream.NStart = 4;
        upstream.NStartGate = new SemaphoreSlim(4, 4);
        Assert.True(upstream.NStartGate.Wait(0));
        table.GetOrAdd(Address(2), 2);

        table.GetOrAdd(Address(3), 3);

        Assert.Same(upstream, table.Find(Address(1)));
        Assert.Null(table.Find(Address(2)));
        upstream.NStartGate.Release();
        table.GetOrAdd(Address(4), 4);
        Assert.Null(table.Find(Address(1)));
    }

    [Fact]
    public void The_sweep_takes_idle_peers_from_the_front_and_stops_at_the_first_active_one()
    {
        var table = new PeerTable(_transport, 100_000);
        for (var i = 0; i < 10; i++)
        {
            table.GetOrAdd(Address(i), 10 + i);
        }

        for (var i = 10; i < 20_010; i++)
        {
            table.GetOrAdd(Address(i), 1000);
        }

        Assert.False(table.RemoveIdle(idleBefore: 100, now: 2000, limit: 4));
        Assert.Equal(20_006, table.Count);
        Assert.True(table.RemoveIdle(idleBefore: 100, now: 2000, limit: 7));
        Assert.Equal(20_000, table.Count);
    }

    [Fact]
    public void A_peer_the_sweep_must_keep_waits_at_the_end_for_another_lifetime()
    {
        var table = new PeerTable(_transport, 100_000);
        table.GetOrAdd(Address(0), 1)!.AddObservations(1);
        for (var i = 1; i < 10_001; i++)
        {
            table.GetOrAdd(Address(i), 1000);
        }

        Assert.True(table.RemoveIdle(idleBefore: 100, now: 2000, limit: 2));
        Assert.Equal(10_001, table.Count);

        // Everyone but the observer is idle now; the observer was put behind them and is looked at last.
        Assert.True(table.RemoveIdle(idleBefore: 1500, now: 3000, limit: 20_000));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public async Task A_server_with_room_for_two_peers_answers_a_third_by_forgetting_the_first()
    {
        await using var server = new ServerFixture(t => t.Map("ok", TestResource.Text("ok")), new CoapEndpointOptions { MaxPeers = 2 });
        var peers = Enumerable.Range(0, 3).Select(i => new LockstepPeer(server.Transport, new IPEndPoint(IPAddress.Loopback, 41000 + i))).ToArray();

        foreach (var peer in peers.Append(peers[0]))
        {
            peer.Send(ServerFixture.Request(CoapCode.Get, "ok", 1));
            Assert.Equal(CoapCode.Content, peer.Expect().Code);
        }
    }

    private static SocketAddress Address(int port) => new IPEndPoint(IPAddress.Loopback, 20000 + port).Serialize();
}

using System.Net;
using System.Net.Sockets;
using Coap.Testing.Relay;

namespace Coap.Engine.Tests.Relay;

/// <summary>The test relay itself: it forwards both ways, drops, delays in order and repeats its choices from a seed.</summary>
public sealed class ImpairmentRelayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static UdpClient Loopback() => new(new IPEndPoint(IPAddress.Loopback, 0));

    private static async Task<int> ReceiveNumberAsync(UdpClient socket) =>
        BitConverter.ToInt32((await socket.ReceiveAsync().WaitAsync(Bound)).Buffer);

    private static Task SendNumberAsync(UdpClient socket, int number, IPEndPoint to) =>
        socket.SendAsync(BitConverter.GetBytes(number), to).AsTask();

    [Fact]
    public async Task Forwards_to_the_server_and_the_answer_back_to_the_client()
    {
        using var server = Loopback();
        using var client = Loopback();
        await using var relay = ImpairmentRelay.Start((IPEndPoint)server.Client.LocalEndPoint!);

        await SendNumberAsync(client, 7, relay.EndPoint);
        var request = await server.ReceiveAsync().WaitAsync(Bound);
        Assert.Equal(7, BitConverter.ToInt32(request.Buffer));
        await server.SendAsync(BitConverter.GetBytes(8), request.RemoteEndPoint);

        Assert.Equal(8, await ReceiveNumberAsync(client));
    }

    [Fact]
    public async Task Full_loss_drops_every_datagram()
    {
        using var server = Loopback();
        using var client = Loopback();
        await using var relay = ImpairmentRelay.Start((IPEndPoint)server.Client.LocalEndPoint!, loss: 1.0);

        for (var i = 0; i < 50; i++)
        {
            await SendNumberAsync(client, i, relay.EndPoint);
        }

        // The relay handles datagrams in order: once the marker sent after healing the link arrives, the 50 were judged.
        await relay.WhenReceivedAsync(50).WaitAsync(Bound);
        relay.ToServer.Loss = 0;
        await SendNumberAsync(client, -1, relay.EndPoint);

        Assert.Equal(-1, await ReceiveNumberAsync(server));
        Assert.Equal(50, relay.Dropped);
    }

    [Fact]
    public async Task A_delayed_datagram_arrives_after_one_sent_later_on_a_direct_path()
    {
        using var server = Loopback();
        using var client = Loopback();
        var serverAddress = (IPEndPoint)server.Client.LocalEndPoint!;
        await using var relay = ImpairmentRelay.Start(serverAddress, delayEachWay: TimeSpan.FromMilliseconds(300));

        await SendNumberAsync(client, 1, relay.EndPoint);
        await SendNumberAsync(client, 2, serverAddress);

        Assert.Equal(2, await ReceiveNumberAsync(server));
        Assert.Equal(1, await ReceiveNumberAsync(server));
    }

    [Fact]
    public async Task The_same_seed_drops_the_same_datagrams()
    {
        var first = await DeliveredAsync(seed: 42);
        var second = await DeliveredAsync(seed: 42);
        var other = await DeliveredAsync(seed: 43);

        Assert.InRange(first.Count, 60, 140);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Duplication_delivers_twice_and_reordering_lets_later_datagrams_overtake()
    {
        using var server = Loopback();
        using var client = Loopback();
        await using var relay = ImpairmentRelay.Start((IPEndPoint)server.Client.LocalEndPoint!);
        relay.ToServer.Duplication = 1.0;
        await SendNumberAsync(client, 5, relay.EndPoint);
        Assert.Equal(5, await ReceiveNumberAsync(server));
        Assert.Equal(5, await ReceiveNumberAsync(server));

        relay.ToServer.Duplication = 0;
        relay.ToServer.Reordering = 1.0;
        relay.ToServer.ReorderDelay = TimeSpan.FromMilliseconds(300);
        await SendNumberAsync(client, 6, relay.EndPoint);
        await relay.WhenReceivedAsync(2).WaitAsync(Bound);
        relay.ToServer.Reordering = 0;
        await SendNumberAsync(client, 7, relay.EndPoint);
        Assert.Equal(7, await ReceiveNumberAsync(server));
        Assert.Equal(6, await ReceiveNumberAsync(server));
    }

    /// <summary>Sends 200 numbered datagrams at 50 % loss, then a marker without loss; returns the numbers that got through.</summary>
    private static async Task<List<int>> DeliveredAsync(int seed)
    {
        using var server = Loopback();
        using var client = Loopback();
        await using var relay = ImpairmentRelay.Start((IPEndPoint)server.Client.LocalEndPoint!, loss: 0.5, seed: seed);
        for (var i = 0; i < 200; i++)
        {
            await SendNumberAsync(client, i, relay.EndPoint);
        }

        await relay.WhenReceivedAsync(200).WaitAsync(Bound);
        relay.ToServer.Loss = 0;
        await SendNumberAsync(client, -1, relay.EndPoint);
        var delivered = new List<int>();
        for (var number = await ReceiveNumberAsync(server); number != -1; number = await ReceiveNumberAsync(server))
        {
            delivered.Add(number);
        }

        return delivered;
    }
}

using System.Net;
using System.Net.Sockets;
using Coap.Engine.Transport;

namespace Coap.Engine.Tests.Transport;

/// <summary>
/// A request worker takes waiting datagrams through <see cref="UdpTransport.ReceivePending"/>: without blocking, at
/// most as many as asked, and with the sender's address in the form <see cref="IPEndPoint.Serialize"/> gives, as the
/// receive thread's does: the peer table (and so duplicate detection and observations) is keyed by it.
/// </summary>
public sealed class UdpTransportTests
{
    [Fact]
    public async Task Waiting_datagrams_are_taken_without_blocking_at_most_as_many_as_asked_with_the_senders_address()
    {
        await using var transport = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var receiver = new Recording();

        var none = transport.ReceivePending(receiver, 10);
        client.SendTo([1], transport.LocalEndPoint);
        client.SendTo([2, 2], transport.LocalEndPoint);
        client.SendTo([3, 3, 3], transport.LocalEndPoint);
        var taken = new List<int>();
        var deadline = Environment.TickCount64 + 10_000;
        while (receiver.Datagrams.Count < 3 && Environment.TickCount64 < deadline)
        {
            // Loopback hands a datagram over at once; the loop only covers the datagrams' way through the stack.
            taken.Add(transport.ReceivePending(receiver, 2));
        }

        Assert.Equal(0, none);
        Assert.All(taken, count => Assert.InRange(count, 0, 2));
        Assert.Equal([[1], [2, 2], [3, 3, 3]], receiver.Datagrams);
        Assert.All(receiver.Senders, sender => Assert.Equal(((IPEndPoint)client.LocalEndPoint!).Serialize(), sender));
    }

    [Fact]
    public async Task More_waiting_datagrams_than_one_system_call_takes_all_arrive_whole_and_in_order()
    {
        await using var transport = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = 4 << 20 };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var receiver = new Recording();

        // 40 datagrams, more than one recvmmsg takes (16); the largest UDP payload among them.
        var sent = Enumerable.Range(0, 40).Select(i => Enumerable.Repeat((byte)i, i == 20 ? 65_507 : 1 + (i * 53 % 1300)).ToArray()).ToList();
        foreach (var datagram in sent)
        {
            client.SendTo(datagram, transport.LocalEndPoint);
        }

        var deadline = Environment.TickCount64 + 10_000;
        while (receiver.Datagrams.Count < sent.Count && Environment.TickCount64 < deadline)
        {
            transport.ReceivePending(receiver, sent.Count);
        }

        Assert.Equal(sent, receiver.Datagrams);
        Assert.All(receiver.Senders, sender => Assert.Equal(((IPEndPoint)client.LocalEndPoint!).Serialize(), sender));
    }

    private sealed class Recording : IDatagramReceiver
    {
        public List<byte[]> Datagrams { get; } = [];

        public List<SocketAddress> Senders { get; } = [];

        public void OnDatagram(IDatagramTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote)
        {
            Datagrams.Add(datagram.ToArray());
            var copy = new SocketAddress(remote.Family, remote.Size);
            remote.Buffer.Span[..remote.Size].CopyTo(copy.Buffer.Span);
            Senders.Add(copy);
        }

        public void OnTransportError(IDatagramTransport transport, Exception error) => throw error;

        public bool OnReceiveIdle(IDatagramTransport transport) => false;

        public void OnUnreachable(IDatagramTransport transport, SocketAddress remote)
        {
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Coap.Engine.Transport;
using static Coap.Engine.Tests.Transport.DatagramPeers;

namespace Coap.Engine.Tests.Transport;

/// <summary>
/// <see cref="SendBatch"/>: what a thread sends through a <see cref="UdpTransport"/> while it holds a scope goes out
/// when the outermost scope ends (sendmmsg), every datagram, in order, to its own peer, through its own socket; a
/// datagram that an ICMP error for an earlier one fails is sent again, and the rest still go.
/// </summary>
public sealed class SendBatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Datagrams_wait_for_the_outermost_scope_then_all_arrive_in_order()
    {
        Assert.True(LinuxMessages.Supported, "the server runs on 64-bit Linux, where sendmmsg batches");
        await using var transport = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var first = Peer();
        using var second = Peer();

        // 80 datagrams (more than a batch holds), two of them large enough to fill the batch's room on their own.
        var sent = Enumerable.Range(0, 80).Select(i => Datagram(i, i is 30 or 31 ? 60_000 : 1 + (i * 37 % 1200))).ToArray();
        using (SendBatch.Open())
        {
            using (SendBatch.Open())
            {
                transport.Send(sent[0], Address(first));
                transport.Send(sent[1], Address(second));
            }

            // The inner scope ended, the outer one holds: nothing is out yet.
            Assert.Equal(0, first.Available);
            Assert.Equal(0, second.Available);
            for (var i = 2; i < sent.Length; i++)
            {
                transport.Send(sent[i], Address(i % 2 == 0 ? first : second));
            }
        }

        Assert.Equal(sent.Where((_, i) => i % 2 == 0), await ReceiveAsync(first, 40));
        Assert.Equal(sent.Where((_, i) => i % 2 == 1), await ReceiveAsync(second, 40));
    }

    [Fact]
    public async Task Sends_through_two_sockets_in_one_scope_each_leave_from_their_own()
    {
        await using var one = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var other = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var peer = Peer();
        using (SendBatch.Open())
        {
            for (var i = 0; i < 10; i++)
            {
                (i % 3 == 0 ? other : one).Send(Datagram(i, 10), Address(peer));
            }
        }

        var senders = new List<int>();
        var buffer = new byte[64];
        for (var i = 0; i < 10; i++)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var result = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            Assert.Equal(Datagram(i, 10), buffer[..result.ReceivedBytes]);
            senders.Add(((IPEndPoint)result.RemoteEndPoint).Port);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (i % 3 == 0 ? other : one).LocalEndPoint.Port), senders);
    }

    [Fact]
    public async Task A_datagram_failed_by_an_icmp_error_for_an_earlier_one_is_sent_again_and_the_rest_still_go()
    {
        Assert.True(LinuxMessages.Supported, "the server runs on 64-bit Linux, where sendmmsg batches");

        // Not started: nobody takes the ICMP error off the socket, so it fails the next datagram of the batch.
        await using var transport = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var live = Peer();
        var closed = ClosedPort.Take().Serialize();
        var sent = Enumerable.Range(0, 20).Select(i => Datagram(i, 20)).ToArray();
        using (SendBatch.Open())
        {
            transport.Send([0x40, 0x01, 0x00, 0x01], closed);
            for (var i = 0; i < 10; i++)
            {
                transport.Send(sent[i], Address(live));
            }

            transport.Send([0x40, 0x01, 0x00, 0x02], closed);
            for (var i = 10; i < sent.Length; i++)
            {
                transport.Send(sent[i], Address(live));
            }
        }

        Assert.Equal(sent, await ReceiveAsync(live, sent.Length));
    }
}

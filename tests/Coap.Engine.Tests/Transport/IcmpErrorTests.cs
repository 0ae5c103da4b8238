using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Coap.Engine.Transport;

namespace Coap.Engine.Tests.Transport;

/// <summary>
/// The UDP transport's ICMP error queue (IP_RECVERR, Linux): a datagram to a closed port is reported as unreachable,
/// with the address it was sent to, and the error does not cost a datagram to another peer.
/// </summary>
public sealed class IcmpErrorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::")]
    public async Task A_datagram_to_a_closed_port_is_reported_as_unreachable_with_its_destination(string address)
    {
        var receiver = new RecordingReceiver();
        await using var transport = UdpTransport.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        transport.Start(receiver);

        var closed = ClosedPort.Take();
        transport.Send([0x40, 0x01, 0x00, 0x01], closed.Serialize());

        var reported = await receiver.Unreachable.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal(closed, Unmapped(reported));
    }

    [Fact]
    public async Task A_send_after_an_icmp_error_for_another_peer_still_goes_out()
    {
        // The receive thread is held in the first datagram's delivery, so it cannot take the error: the next send does.
        using var release = new ManualResetEventSlim();
        var receiver = new RecordingReceiver { Hold = release };
        await using var transport = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        transport.Start(receiver);
        using var live = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        live.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        try
        {
            live.SendTo([0], transport.LocalEndPoint);
            await receiver.Held.Task.WaitAsync(Timeout);
            var closed = ClosedPort.Take();
            var buffer = new byte[16];
            for (byte round = 1; round <= 3; round++)
            {
                transport.Send([round], closed.Serialize());
                transport.Send([round], ((IPEndPoint)live.LocalEndPoint!).Serialize());

                using var timeout = new CancellationTokenSource(Timeout);
                var received = await live.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                Assert.Equal([round], buffer[..received]);
                Assert.Equal(closed, Unmapped(await receiver.Unreachable.Reader.ReadAsync().AsTask().WaitAsync(Timeout)));
            }
        }
        finally
        {
            release.Set();
        }
    }

    private static IPEndPoint Unmapped(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private sealed class RecordingReceiver : IDatagramReceiver
    {
        public Channel<IPEndPoint> Unreachable { get; } = Channel.CreateUnbounded<IPEndPoint>();

        public ManualResetEventSlim? Hold { get; init; }

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnDatagram(IDatagramTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote)
        {
            Held.TrySetResult();
            Hold?.Wait(Timeout);
        }

        public void OnTransportError(IDatagramTransport transport, Exception error) => Unreachable.Writer.TryComplete(error);

        public bool OnReceiveIdle(IDatagramTransport transport) => false;

        public void OnUnreachable(IDatagramTransport transport, SocketAddress remote) =>
            Unreachable.Writer.TryWrite(remote.ToIPEndPoint());
    }
}

using System.Net;
using System.Net.Sockets;

namespace Coap.Engine.Tests.Transport;

/// <summary>
/// What the send tests share: a plain loopback socket to send to, datagrams that say which they are (their index in
/// their first byte, the rest from a seeded generator), and receiving a given number of them, each within a bound.
/// </summary>
internal static class DatagramPeers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Socket Peer()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public static SocketAddress Address(Socket peer) => peer.LocalEndPoint!.Serialize();

    public static byte[] Datagram(int index, int length)
    {
        var datagram = new byte[length];
        new Random(index).NextBytes(datagram);
        datagram[0] = (byte)index;
        return datagram;
    }

    public static async Task<List<byte[]>> ReceiveAsync(Socket peer, int count)
    {
        var received = new List<byte[]>();
        var buffer = new byte[65536];
        while (received.Count < count)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var length = await peer.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            received.Add(buffer[..length]);
        }

        return received;
    }
}

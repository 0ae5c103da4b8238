using System.Net;
using System.Net.Sockets;

namespace Coap.Engine.Tests.Transport;

/// <summary>A loopback port nothing listens on: bound for a moment, then closed; a datagram sent there draws an ICMP error.</summary>
internal static class ClosedPort
{
    public static IPEndPoint Take()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}

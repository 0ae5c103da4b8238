using System.Net;
using System.Net.Sockets;

namespace Coap.Engine.Transport;

/// <summary>Conversions between the allocation-free <see cref="SocketAddress"/> and <see cref="IPEndPoint"/>.</summary>
public static class SocketAddressExtensions
{
    private static readonly IPEndPoint V4 = new(IPAddress.Any, 0);
    private static readonly IPEndPoint V6 = new(IPAddress.IPv6Any, 0);

    public static IPEndPoint ToIPEndPoint(this SocketAddress address) =>
        (IPEndPoint)(address.Family == AddressFamily.InterNetworkV6 ? V6 : V4).Create(address);
}

using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Services.Proxy.Tests;

/// <summary>What a test's plain UDP socket, playing a client or a device byte for byte, receives next.</summary>
internal static class RawSocket
{
    /// <summary>The next datagram, decoded; fails the test when it does not decode or nothing comes within <paramref name="bound"/>.</summary>
    public static async Task<CoapMessage> ReceiveAsync(Socket socket, TimeSpan bound)
    {
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(bound);
        var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryReadCopy(buffer.AsSpan(0, received.ReceivedBytes), out var message));
        return message!;
    }
}

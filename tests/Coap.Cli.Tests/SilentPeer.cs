using System.Net;
using System.Net.Sockets;

namespace Coap.Cli.Tests;

/// <summary>
/// A UDP socket on loopback where no CoAP server listens: it never answers, or answers the first message with RST.
/// Holding the port keeps another test from taking it.
/// </summary>
internal sealed class SilentPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public SilentPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Waits for one message and rejects it with an RST of the same message ID (RFC 7252 §4.2).</summary>
    public async Task ResetFirstMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1500];
        var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
        byte[] reset = [0x70, 0x00, buffer[2], buffer[3]];
        await _socket.SendToAsync(reset, SocketFlags.None, received.RemoteEndPoint, cancellationToken);
    }

    public void Dispose() => _socket.Dispose();
}

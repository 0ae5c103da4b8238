using System.Net;
using System.Net.Sockets;
using Coap.Fuzzing;

namespace Coap.Bench.Fuzz;

/// <summary>
/// A UDP DNS server on 127.0.0.1 and a free port answering as <see cref="DnsAnswers"/> says: DoC's upstream.
/// </summary>
internal sealed class DnsResponder : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _thread;

    public DnsResponder()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _thread = new Thread(Serve) { IsBackground = true, Name = "dns responder" };
        _thread.Start();
    }

    public IPEndPoint EndPoint { get; }

    public void Dispose()
    {
        _socket.Dispose();
        _thread.Join();
    }

    private void Serve()
    {
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (DnsAnswers.For(buffer.AsSpan(0, length)) is { } answer)
            {
                _socket.SendTo(answer, from);
            }
        }
    }
}

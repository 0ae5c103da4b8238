using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Bench.Observe;

/// <summary>
/// One client UDP socket holding many observations (one token each) and counting what arrives. It acknowledges CON
/// notifications (every Coap:ObserverCheckNotifications-th is one), as a live client does.
/// </summary>
internal sealed class ObserverSocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[1500];
    private readonly SocketAddress _from = new(AddressFamily.InterNetwork);
    private readonly byte[] _ack = new byte[4];
    private readonly IPEndPoint _server;
    private long _responses;
    private long _notifications;

    public ObserverSocket(IPEndPoint server)
    {
        _server = server;
        _socket.ReceiveBufferSize = 4 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public long Responses => Interlocked.Read(ref _responses);

    public long Notifications => Interlocked.Read(ref _notifications);

    /// <summary>
    /// Sends one CON GET per token, with Observe 0 (register, RFC 7641 §3.1) or without Observe; with
    /// <paramref name="queryPerToken"/> each request also carries its own Uri-Query (<c>k=N</c>), for a server that
    /// keeps one observation per client and request rather than per token (libcoap replaces the older one).
    /// </summary>
    public void Send(int socketIndex, int tokens, int? observe, string path = "counter", bool queryPerToken = false)
    {
        for (var i = 0; i < tokens; i++)
        {
            var request = CoapMessage.CreateRequest(CoapCode.Get, path);
            if (queryPerToken)
            {
                request.SetUriQuery($"k={i}");
            }

            request.MessageId = (ushort)((observe is null ? 0x8000 : 0) | i);
            request.Token = CoapToken.FromUInt64(((ulong)socketIndex << 16) | (uint)i, 4);
            request.Observe = observe;
            _socket.SendTo(CoapMessageWriter.ToArray(request), _server);
        }
    }

    public async Task ReceiveAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var length = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, _from, stop).ConfigureAwait(false);
                if (length < 4)
                {
                    continue;
                }

                // Type bits of the header: 2 = ACK (a registration's response), 1 = NON notification, 0 = CON.
                var type = (_buffer[0] >> 4) & 0x3;
                if (type == 2)
                {
                    Interlocked.Increment(ref _responses);
                }
                else
                {
                    if (type == 0)
                    {
                        _ack[0] = 0x60;
                        _ack[2] = _buffer[2];
                        _ack[3] = _buffer[3];
                        _socket.SendTo(_ack, SocketFlags.None, _from);
                    }

                    Interlocked.Increment(ref _notifications);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _socket.Dispose();
}

using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Bench.PubSub;

/// <summary>
/// A publisher: CON PUTs to the topic-data, one at a time, each carrying its send time. A message ID may not repeat
/// within EXCHANGE_LIFETIME (RFC 7252 §4.4; the broker would answer from its deduplication table), so after 60 000
/// publications the publisher moves to a new socket, a new endpoint for the broker.
/// </summary>
internal sealed class Publisher : IDisposable
{
    private const int MessagesPerSocket = 60_000;

    private Socket _socket = NewSocket();
    private readonly IPEndPoint _server;
    private readonly CoapMessage _request;
    private readonly byte[] _payload = new byte[8];
    private readonly byte[] _datagram = new byte[256];
    private readonly byte[] _reply = new byte[1500];
    private ushort _messageId;

    public Publisher(IPEndPoint server, string[] path)
    {
        _server = server;
        _request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, Token = CoapToken.FromUInt64(1, 1) };
        _request.SetUriPathSegments(path);
        _request.ContentFormat = ContentFormat.OctetStream;
        _request.Payload = _payload;
    }

    /// <summary>Publishes once and waits for the broker's answer; returns its code.</summary>
    public CoapCode Publish()
    {
        if (++_messageId > MessagesPerSocket)
        {
            _socket.Dispose();
            _socket = NewSocket();
            _messageId = 1;
        }

        _request.MessageId = _messageId;
        BinaryPrimitives.WriteInt64LittleEndian(_payload, Stopwatch.GetTimestamp());
        var length = CoapMessageWriter.Write(_request, _datagram);
        _socket.SendTo(_datagram.AsSpan(0, length), SocketFlags.None, _server);
        while (true)
        {
            var received = _socket.Receive(_reply);
            if (received >= 4 && ((_reply[2] << 8) | _reply[3]) == _messageId)
            {
                return new CoapCode(_reply[1]);
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private static Socket NewSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}

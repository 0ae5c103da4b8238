using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Services.PubSub.Tests;

/// <summary>
/// A subscriber on its own UDP socket that sees every message as sent: it registers with GET Observe 0 and then
/// either acknowledges confirmable notifications and, as a CoAP client does (RFC 7252 §4.5), sees a retransmission
/// only once, or, as a vanished client would, never answers anything and sees every retransmission.
/// </summary>
internal sealed class RawSubscriber : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly bool _acknowledge;
    private readonly byte[] _buffer = new byte[2048];
    private readonly HashSet<ushort> _acknowledged = [];

    public RawSubscriber(int port, bool acknowledge)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _server = new IPEndPoint(IPAddress.Loopback, port);
        _acknowledge = acknowledge;
    }

    public CoapToken Token { get; } = CoapToken.FromUInt64((ulong)Random.Shared.NextInt64(1, long.MaxValue), 8);

    /// <summary>Sends the registration and returns the broker's answer (piggybacked on the ACK; a notification of an earlier publication may come first).</summary>
    public async Task<CoapMessage> SubscribeAsync(string path)
    {
        var request = CoapMessage.CreateRequest(CoapCode.Get, path, CoapMessageType.Confirmable);
        request.MessageId = (ushort)Random.Shared.Next(ushort.MaxValue);
        request.Token = Token;
        request.Observe = 0;
        await _socket.SendToAsync(CoapMessageWriter.ToArray(request), SocketFlags.None, _server);
        return await ReceiveUntilAsync(m => m.Type == CoapMessageType.Acknowledgement);
    }

    /// <summary>
    /// The next message from the broker within the timeout. A subscriber that answers acknowledges each CON and skips
    /// the retransmissions of one it acknowledged already (its ACK may have come after the broker's ACK timeout).
    /// </summary>
    public async Task<CoapMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TestBroker.Timeout);
        while (true)
        {
            var received = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryReadCopy(_buffer.AsSpan(0, received.ReceivedBytes), out var message));
            if (!_acknowledge || message!.Type != CoapMessageType.Confirmable)
            {
                return message!;
            }

            var ack = CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, message.MessageId);
            await _socket.SendToAsync(CoapMessageWriter.ToArray(ack), SocketFlags.None, _server);
            if (_acknowledged.Add(message.MessageId))
            {
                return message;
            }
        }
    }

    /// <summary>Messages until one is <paramref name="wanted"/>; retransmissions and older values are skipped.</summary>
    public async Task<CoapMessage> ReceiveUntilAsync(Func<CoapMessage, bool> wanted)
    {
        for (var i = 0; i < 100; i++)
        {
            var message = await ReceiveAsync();
            if (wanted(message))
            {
                return message;
            }
        }

        throw new InvalidOperationException("the wanted message did not come within 100 messages");
    }

    public void Dispose() => _socket.Dispose();
}

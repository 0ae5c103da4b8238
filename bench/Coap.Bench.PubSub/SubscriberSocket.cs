using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Bench.PubSub;

/// <summary>
/// One client UDP socket holding many subscriptions (one token each) to one topic-data resource. It acknowledges
/// CON notifications, as a live subscriber does, and records each publication's end-to-end latency: the payload
/// carries the publisher's Stopwatch timestamp.
/// </summary>
internal sealed class SubscriberSocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[1500];
    private readonly byte[] _ack = new byte[4];
    private readonly SocketAddress _from = new(AddressFamily.InterNetwork);
    private readonly IPEndPoint _server;
    private readonly long[] _latencies;
    private int _samples;
    private long _responses;
    private long _notifications;

    public SubscriberSocket(IPEndPoint server, int maxSamples)
    {
        _server = server;
        _latencies = new long[maxSamples];
        _socket.ReceiveBufferSize = 4 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public long Responses => Interlocked.Read(ref _responses);

    public long Notifications => Interlocked.Read(ref _notifications);

    public ReadOnlySpan<long> Latencies => _latencies.AsSpan(0, Volatile.Read(ref _samples));

    /// <summary>Latency samples from here on only: registration answers and warm-up are not counted.</summary>
    public void ResetSamples() => Volatile.Write(ref _samples, 0);

    /// <summary>Sends one CON GET per token, with Observe 0 (subscribe) or without (to measure what deduplication keeps).</summary>
    public void Send(string[] path, int socketIndex, int tokens, int? observe)
    {
        for (var i = 0; i < tokens; i++)
        {
            var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get };
            request.SetUriPathSegments(path);
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
                var now = Stopwatch.GetTimestamp();
                if (length < 4)
                {
                    continue;
                }

                // Type bits: 2 = ACK (a registration's answer), 1 = NON notification, 0 = CON notification.
                var type = (_buffer[0] >> 4) & 0x3;
                if (type == 2)
                {
                    Interlocked.Increment(ref _responses);
                    continue;
                }

                if (type == 0)
                {
                    _ack[0] = 0x60;
                    _ack[2] = _buffer[2];
                    _ack[3] = _buffer[3];
                    _socket.SendTo(_ack, SocketFlags.None, _from);
                }

                Interlocked.Increment(ref _notifications);
                if (length >= 8 && _buffer.AsSpan(0, length).LastIndexOf((byte)0xFF) is var marker and >= 0 && length - marker - 1 == 8)
                {
                    var sent = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(marker + 1, 8));
                    var index = _samples;
                    if (index < _latencies.Length)
                    {
                        _latencies[index] = now - sent;
                        Volatile.Write(ref _samples, index + 1);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _socket.Dispose();
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Bench.Load;

/// <summary>
/// One client socket (one source port, one MID counter) and its slots. A slot is one request outstanding: when its
/// response arrives, or after the timeout, it sends its next request at once (closed loop). Used by one thread only;
/// nothing here allocates per datagram: requests are encoded by the engine's codec into one reused buffer, responses
/// are checked with <see cref="CoapMessageReader.Validate"/> and matched from the header and token without
/// decoding them into objects.
/// </summary>
internal sealed class ClientEndpoint : IDisposable
{
    private const int SocketBufferBytes = 1 << 20;

    private readonly LoadOptions _options;
    private readonly LoadStats _stats;
    private readonly MeasurementWindow _window;
    private readonly bool _blocking;
    private readonly int _slotCount;
    private readonly long _timeoutTicks;
    private readonly CoapMessage _request;
    private readonly CoapMessage _emptyAck = CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, 0);
    private readonly byte[] _sendBuffer = new byte[1152];
    private readonly byte[] _receiveBuffer = new byte[2048];
    private readonly long[] _sentAt;
    private readonly ushort[] _messageIds;
    private readonly CoapToken[] _tokens;
    private readonly bool[] _inFlight;
    private readonly ulong _generationMask;
    private ushort _nextMessageId = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
    private ulong _generation;
    private int _sentOnSocket;

    /// <param name="blocking">Blocking receive with a 100 ms timeout (one endpoint per thread), or non-blocking (the
    /// thread waits on several sockets with <see cref="Socket.Select"/>).</param>
    public ClientEndpoint(LoadOptions options, int slotCount, LoadStats stats, MeasurementWindow window, bool blocking)
    {
        _options = options;
        _slotCount = slotCount;
        _stats = stats;
        _window = window;
        _blocking = blocking;
        _timeoutTicks = options.TimeoutMilliseconds * Stopwatch.Frequency / 1000;
        _sentAt = new long[slotCount];
        _messageIds = new ushort[slotCount];
        _tokens = new CoapToken[slotCount];
        _inFlight = new bool[slotCount];
        _generationMask = options.TokenLength == 2 ? 0 : ulong.MaxValue >> (64 - ((options.TokenLength - 2) * 8));
        _request = new CoapMessage
        {
            Type = options.NonConfirmable ? CoapMessageType.NonConfirmable : CoapMessageType.Confirmable,
            Code = options.Method,
            ContentFormat = options.ContentFormat,
        };
        if (options.PayloadBytes > 0)
        {
            _request.Payload = Enumerable.Repeat((byte)'x', options.PayloadBytes).ToArray();
        }

        if (options.ProxyUri is { } proxyUri)
        {
            _request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, proxyUri));
        }
        else
        {
            _request.SetUriPath(options.Path);
        }

        if (options.ProxyUri is null && options.Query.Length > 1)
        {
            _request.SetUriQuery(options.Query);
        }

        Socket = OpenSocket();
    }

    public Socket Socket { get; private set; }

    /// <summary>Sends the first request of every slot.</summary>
    public void Start(long now)
    {
        for (var slot = 0; slot < _slotCount; slot++)
        {
            Send(slot, now);
        }
    }

    /// <summary>Receives and handles at most one datagram; in blocking mode waits up to 100 ms for it.</summary>
    public void ReceiveOne()
    {
        var received = Socket.Receive(_receiveBuffer, SocketFlags.None, out var error);
        var now = Stopwatch.GetTimestamp();
        if (error == SocketError.Success)
        {
            Handle(_receiveBuffer.AsSpan(0, received), now);
        }
        else if (error is not (SocketError.TimedOut or SocketError.WouldBlock) && _window.Contains(now))
        {
            // ConnectionRefused (ICMP port unreachable) and the like: the slots time out and start over.
            _stats.SocketErrors++;
        }
    }

    /// <summary>Counts the requests unanswered for longer than -T as timeouts and re-uses their slots.</summary>
    public void CheckTimeouts(long now)
    {
        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (_inFlight[slot] && now - _sentAt[slot] >= _timeoutTicks)
            {
                if (_window.Contains(now))
                {
                    _stats.Timeouts++;
                }

                Next(slot, now);
            }
        }
    }

    public void Dispose() => Socket.Dispose();

    private Socket OpenSocket()
    {
        var target = _options.Target;
        var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = SocketBufferBytes,
            SendBufferSize = SocketBufferBytes,
        };
        if (_blocking)
        {
            socket.ReceiveTimeout = 100;
        }
        else
        {
            socket.Blocking = false;
        }

        socket.Bind(new IPEndPoint(target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));

        // A connected UDP socket: no address to pass or parse per datagram, datagrams from other sources are
        // dropped by the kernel, and an ICMP port-unreachable shows up as ConnectionRefused.
        socket.Connect(target);
        _sentOnSocket = 0;
        return socket;
    }

    /// <summary>Sends a fresh request (new token, next MID) for the slot.</summary>
    private void Send(int slot, long now)
    {
        var generation = ++_generation & _generationMask;
        var token = CoapToken.FromUInt64(((ulong)slot << ((_options.TokenLength - 2) * 8)) | generation, _options.TokenLength);
        var messageId = _nextMessageId++;
        _request.Token = token;
        _request.MessageId = messageId;
        var length = CoapMessageWriter.Write(_request, _sendBuffer);
        _tokens[slot] = token;
        _messageIds[slot] = messageId;
        _sentAt[slot] = now;
        _inFlight[slot] = true;
        _sentOnSocket++;
        Socket.Send(_sendBuffer.AsSpan(0, length), SocketFlags.None, out var error);
        if (error != SocketError.Success && _window.Contains(now))
        {
            _stats.SocketErrors++;
        }
    }

    /// <summary>The slot is done: send its next request, on a new socket when this one has used enough MIDs.</summary>
    private void Next(int slot, long now)
    {
        _inFlight[slot] = false;
        if (_options.RotateAfter > 0 && _sentOnSocket >= _options.RotateAfter)
        {
            Rotate(now);
        }
        else
        {
            Send(slot, now);
        }
    }

    /// <summary>
    /// A new source port, so no MID is reused on an endpoint within EXCHANGE_LIFETIME (RFC 7252 §4.5). Requests still
    /// outstanding on the old socket are abandoned without being counted, and every slot starts over.
    /// </summary>
    private void Rotate(long now)
    {
        Socket.Dispose();
        Socket = OpenSocket();
        if (_window.Contains(now))
        {
            _stats.Rotations++;
        }

        for (var slot = 0; slot < _slotCount; slot++)
        {
            Send(slot, now);
        }
    }

    private void Handle(ReadOnlySpan<byte> datagram, long now)
    {
        if (CoapMessageReader.Validate(datagram) != CoapDecodeError.None || !CoapHeader.TryRead(datagram, out var header))
        {
            _stats.Malformed++;
            return;
        }

        int slot;
        if (header.Code.IsEmpty)
        {
            slot = FindByMessageId(header.MessageId);
            if (slot < 0 || header.Type is not (CoapMessageType.Acknowledgement or CoapMessageType.Reset))
            {
                _stats.Unmatched++;
            }
            else if (header.Type == CoapMessageType.Reset)
            {
                if (_window.Contains(now))
                {
                    _stats.Resets++;
                }

                Next(slot, now);
            }
            else
            {
                // The response will follow separately (RFC 7252 §5.2.2); there is no retransmission to stop.
                _stats.EmptyAcks++;
            }

            return;
        }

        if (header.Type == CoapMessageType.Confirmable)
        {
            SendEmptyAck(header.MessageId);
        }

        slot = header.TokenLength == _options.TokenLength ? (datagram[CoapHeader.Size] << 8) | datagram[CoapHeader.Size + 1] : -1;
        if (!header.Code.IsResponse
            || (uint)slot >= (uint)_slotCount
            || !_inFlight[slot]
            || CoapToken.FromSpan(datagram.Slice(CoapHeader.Size, header.TokenLength)) != _tokens[slot]
            || (header.Type == CoapMessageType.Acknowledgement && header.MessageId != _messageIds[slot]))
        {
            _stats.Unmatched++;
            return;
        }

        if (_window.Contains(now))
        {
            _stats.Codes[header.Code.Value]++;
            if (header.Code.IsSuccess)
            {
                _stats.Ok++;
                _stats.Latency.Record((now - _sentAt[slot]) * 10_000_000 / Stopwatch.Frequency);
            }
            else
            {
                _stats.NonSuccess++;
            }
        }

        Next(slot, now);
    }

    private void SendEmptyAck(ushort messageId)
    {
        _emptyAck.MessageId = messageId;
        var length = CoapMessageWriter.Write(_emptyAck, _sendBuffer);
        Socket.Send(_sendBuffer.AsSpan(0, length), SocketFlags.None, out _);
        _stats.SeparateAcksSent++;
    }

    private int FindByMessageId(ushort messageId)
    {
        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (_inFlight[slot] && _messageIds[slot] == messageId)
            {
                return slot;
            }
        }

        return -1;
    }
}

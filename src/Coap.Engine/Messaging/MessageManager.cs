using System.Buffers;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Messaging;

/// <summary>
/// What the endpoint calls for the messages of RFC 7252 §4 (aiocoap's MessageManager): message IDs, duplicate
/// detection, CON retransmission and empty ACK/RST. Not a layer datagrams pass through: the endpoint receives and
/// decodes, then asks it. Its tables are guarded by one lock held only for table work, never across a handler or an
/// await.
/// </summary>
internal sealed partial class MessageManager
{
    private readonly object _gate = new();
    private readonly CoapTransmissionOptions _transmission;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly Deduplicator _deduplicator;
    private readonly Dictionary<MessageKey, OutgoingConfirmable> _outgoing = [];
    private int _nextMessageId;

    /// <summary>The retransmission timers' callback, made once (a method group makes a delegate per use).</summary>
    private readonly TimerCallback _onRetransmitTimer;

    public MessageManager(CoapEndpointOptions options, TimeProvider time, Random random, ILogger logger)
    {
        _transmission = options.Transmission;
        _time = time;
        _random = random;
        _logger = logger;
        _deduplicator = new Deduplicator(
            _transmission.ExchangeLifetime, time.TimestampFrequency, options.DeduplicationMemory, options.DeduplicationMemoryPerPeer, options.MaxDeduplicationEntries);
        _nextMessageId = random.Next(ushort.MaxValue + 1);
        _onRetransmitTimer = OnRetransmitTimer;
    }

    public TimeProvider Time => _time;

    public CoapTransmissionOptions Transmission => _transmission;

    public int OutgoingCount
    {
        get
        {
            lock (_gate)
            {
                return _outgoing.Count;
            }
        }
    }

    /// <summary>A fresh message ID; IDs of one endpoint advance together, which keeps them unique per peer (§4.4).</summary>
    public ushort NextMessageId() => (ushort)Interlocked.Increment(ref _nextMessageId);

    /// <summary>Random bytes for tokens and jitter, drawn under the lock because <see cref="Random"/> is not thread-safe.</summary>
    public ulong NextRandom()
    {
        lock (_gate)
        {
            return (ulong)_random.NextInt64();
        }
    }

    /// <summary>Encodes into a pooled buffer and sends once.</summary>
    public void Send(CoapPeer peer, CoapMessage message) => Send(peer, message, replyTo: null);

    /// <summary>
    /// Encodes into a pooled buffer and sends once; with <paramref name="replyTo"/>, the bytes are first remembered
    /// as the reply to that received message, for its duplicates.
    /// </summary>
    private void Send(CoapPeer peer, CoapMessage message, MessageKey? replyTo)
    {
        var length = CoapMessageWriter.GetEncodedLength(message);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            CoapMessageWriter.Write(message, buffer);
            if (replyTo is { } key)
            {
                lock (_gate)
                {
                    _deduplicator.SetReply(key, buffer.AsSpan(0, length));
                }
            }

            peer.Transport.Send(buffer.AsSpan(0, length), peer.Address);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        LogSent(message, peer);
    }

    /// <summary>Sends an encoded datagram once.</summary>
    public void Send(CoapPeer peer, ReadOnlySpan<byte> datagram)
    {
        peer.Transport.Send(datagram, peer.Address);
        LogSent(datagram, peer);
    }

    /// <summary>Sends an empty ACK or RST for a message ID (RFC 7252 §4.2, §4.3).</summary>
    public void SendEmpty(CoapPeer peer, CoapMessageType type, ushort messageId) =>
        Send(peer, CoapMessage.CreateEmpty(type, messageId));

    private long Now => _time.GetTimestamp();

    /// <summary>Logs an encoded datagram, decoding it only when Debug is on.</summary>
    public void LogSent(ReadOnlySpan<byte> datagram, CoapPeer peer)
    {
        if (_logger.IsEnabled(LogLevel.Debug) && CoapMessageReader.TryReadCopy(datagram, out var message) == CoapDecodeError.None)
        {
            Log.Sent(_logger, peer, message!);
        }
    }

    private void LogSent(CoapMessage message, CoapPeer peer)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.Sent(_logger, peer, message);
        }
    }
}

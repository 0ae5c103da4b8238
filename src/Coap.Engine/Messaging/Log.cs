using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Messaging;

/// <summary>Log events of the message layer: Debug for traffic and bad datagrams, Information for retransmissions.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Sent to {Peer}: {Message}")]
    public static partial void Sent(ILogger logger, CoapPeer peer, CoapMessage message);

    [LoggerMessage(2, LogLevel.Debug, "Received from {Peer}: {Message}")]
    public static partial void Received(ILogger logger, CoapPeer peer, CoapMessage message);

    [LoggerMessage(3, LogLevel.Debug, "Duplicate message {MessageId} from {Peer} (reply replayed: {Replayed})")]
    public static partial void Duplicate(ILogger logger, CoapPeer peer, ushort messageId, bool replayed);

    [LoggerMessage(4, LogLevel.Information, "Retransmission {Count} of message {MessageId} to {Peer}")]
    public static partial void Retransmitted(ILogger logger, CoapPeer peer, ushort messageId, int count);

    [LoggerMessage(5, LogLevel.Information, "Gave up on message {MessageId} to {Peer} after {Count} retransmissions")]
    public static partial void GaveUp(ILogger logger, CoapPeer peer, ushort messageId, int count);

    /// <summary>Every malformed datagram at Debug; <see cref="DroppedDatagrams"/> reports them as a Warning summary.</summary>
    [LoggerMessage(6, LogLevel.Debug, "Malformed datagram of {Length} bytes from {Peer}: {Error}")]
    public static partial void Malformed(ILogger logger, CoapPeer peer, int length, Codec.CoapDecodeError error);

    /// <summary>Every unmatched ACK, RST or response at Debug; <see cref="DroppedDatagrams"/> reports them as a Warning summary.</summary>
    [LoggerMessage(7, LogLevel.Debug, "Unexpected message from {Peer} ({Reason}): {Message}")]
    public static partial void Unexpected(ILogger logger, CoapPeer peer, DropReason reason, CoapMessage message);

    [LoggerMessage(8, LogLevel.Error, "Handler for {Path} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception error, string path);

    [LoggerMessage(9, LogLevel.Error, "Transport {Transport} failed")]
    public static partial void TransportFailed(ILogger logger, Exception error, string transport);

    [LoggerMessage(10, LogLevel.Information, "Separate response to {Peer} was not acknowledged: {Result}")]
    public static partial void SeparateResponseLost(ILogger logger, CoapPeer peer, TransmissionResult result);

    [LoggerMessage(17, LogLevel.Debug, "No room in the request queue for message {MessageId} from {Peer}: answered 5.03")]
    public static partial void QueueFull(ILogger logger, CoapPeer peer, ushort messageId);

    [LoggerMessage(18, LogLevel.Warning, "Stopped while a handler still ran after {Seconds} s of waiting for it")]
    public static partial void StoppedDuringHandler(ILogger logger, double seconds);
}

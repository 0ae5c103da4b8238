using System.Buffers;
using Coap.Engine.Messaging;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Exchanges;

/// <summary>The endpoint's side of <see cref="INotificationSender"/>: notifications go through its message layer.</summary>
internal sealed class NotificationSender(CoapEndpoint endpoint, MessageManager messages, ILogger logger, AmplificationGuard amplification) : INotificationSender
{
    public CoapEndpoint Endpoint => endpoint;

    public TimeProvider Time => messages.Time;

    public AmplificationGuard Amplification => amplification;

    public ILogger Logger => logger;

    public ushort SendNonConfirmable(CoapPeer peer, EncodedNotification notification, CoapToken token)
    {
        var messageId = messages.NextMessageId();
        var length = notification.LengthWith(token);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            notification.Write(buffer, CoapMessageType.NonConfirmable, messageId, token);
            messages.Send(peer, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return messageId;
    }

    public void SendNonConfirmable(CoapPeer peer, CoapMessage response, CoapToken token)
    {
        response.Type = CoapMessageType.NonConfirmable;
        response.MessageId = messages.NextMessageId();
        response.Token = token;
        messages.Send(peer, response);
    }

    public ConfirmableNotification SendConfirmable(CoapPeer peer, EncodedNotification notification, CoapToken token)
    {
        var messageId = messages.NextMessageId();
        var datagram = notification.ToDatagram(CoapMessageType.Confirmable, messageId, token);
        var transmission = messages.SendConfirmable(peer, messageId, datagram);
        messages.LogSent(datagram, peer);
        return new ConfirmableNotification(messageId, transmission);
    }

    public ushort? TryReplaceConfirmable(CoapPeer peer, ushort inFlight, EncodedNotification notification, CoapToken token)
    {
        var messageId = messages.NextMessageId();
        var datagram = notification.ToDatagram(CoapMessageType.Confirmable, messageId, token);
        if (!messages.Replace(peer, inFlight, messageId, datagram))
        {
            return null;
        }

        messages.LogSent(datagram, peer);
        return messageId;
    }

    public void Cancel(CoapPeer peer, ushort messageId) => messages.Cancel(peer, messageId);
}

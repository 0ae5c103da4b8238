using System.Threading.Channels;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// A request a client sent and the response it waits for, matched by (peer, token) (RFC 7252 §5.3.2). A streaming
/// exchange (an observation, RFC 7641 §3) takes every matching response into <see cref="Notifications"/> instead
/// of completing <see cref="Response"/> with the first one.
/// </summary>
internal sealed class ClientExchange
{
    /// <param name="inline">Whether the awaiter of <see cref="Response"/> continues on the thread that delivers it.</param>
    public ClientExchange(CoapPeer peer, CoapToken token, bool streaming = false, bool inline = false)
    {
        Peer = peer;
        Token = token;
        Response = new(inline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        if (streaming)
        {
            Notifications = Channel.CreateUnbounded<CoapMessage>(new UnboundedChannelOptions { SingleReader = true });
        }
    }

    public CoapPeer Peer { get; }

    public CoapToken Token { get; }

    /// <summary>The message ID of the latest request, to stop its retransmission once any response arrives.</summary>
    public ushort MessageId { get; set; }

    public TaskCompletionSource<CoapMessage> Response { get; }

    /// <summary>Every response of a streaming exchange, in arrival order; null for a single-response exchange.</summary>
    public Channel<CoapMessage>? Notifications { get; }

    /// <summary>Hands a matching response to whoever waits for it.</summary>
    public void Deliver(CoapMessage response)
    {
        if (Notifications is { } notifications)
        {
            notifications.Writer.TryWrite(response);
        }
        else
        {
            Response.TrySetResult(response);
        }
    }

    /// <summary>Ends the exchange with an error: RST or no acknowledgement.</summary>
    public void Fail(Exception error)
    {
        if (Notifications is { } notifications)
        {
            // Nobody awaits Response on a streaming exchange: failing it would leave an unobserved exception.
            notifications.Writer.TryComplete(error);
        }
        else
        {
            Response.TrySetException(error);
        }
    }
}

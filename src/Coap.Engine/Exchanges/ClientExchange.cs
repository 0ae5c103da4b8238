using System.Threading.Channels;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// A request a client sent and the response it waits for, matched by (peer, token) (RFC 7252 §5.3.2). A streaming
/// exchange (an observation, RFC 7641 §3, or a Q-Block2 download, RFC 9177) takes every matching response into
/// <see cref="Notifications"/> instead of completing <see cref="Response"/> with the first one; at most
/// <see cref="MaxQueued"/> of them wait there unread, so a peer flooding an observation with notifications that its
/// reader does not keep up with costs bounded memory: past that, a response is dropped as a lost datagram would be.
/// </summary>
internal sealed class ClientExchange
{
    /// <summary>
    /// Responses a streaming exchange holds unread: eight times the largest Q-Block2 window
    /// (<see cref="Blockwise.CoapQBlockOptions.MaxWindow"/>, 128 blocks), about 1.2 MiB of 1 KiB blocks.
    /// </summary>
    internal const int MaxQueued = 1024;

    private bool _answered;

    /// <param name="inline">
    /// Whether the awaiter of <see cref="Response"/>, or the reader waiting on <see cref="Notifications"/>, continues
    /// on the thread that delivers (the receive thread) rather than on the thread pool.
    /// </param>
    public ClientExchange(CoapPeer peer, CoapToken token, bool streaming = false, bool inline = false)
    {
        Peer = peer;
        Token = token;
        Response = new(inline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        if (streaming)
        {
            // Not SingleReader: only the general channel counts what it holds, for the bound in Deliver.
            Notifications = Channel.CreateUnbounded<CoapMessage>(new UnboundedChannelOptions { AllowSynchronousContinuations = inline });
        }
    }

    public CoapPeer Peer { get; }

    public CoapToken Token { get; }

    /// <summary>The message ID of the latest request, to stop its retransmission once any response arrives.</summary>
    public ushort MessageId { get; set; }

    public TaskCompletionSource<CoapMessage> Response { get; }

    /// <summary>Every response of a streaming exchange, in arrival order; null for a single-response exchange.</summary>
    public Channel<CoapMessage>? Notifications { get; }

    /// <summary>Whether the peer has answered on this exchange's token.</summary>
    public bool Answered => Volatile.Read(ref _answered);

    /// <summary>Hands a matching response to whoever waits for it.</summary>
    public void Deliver(CoapMessage response)
    {
        Volatile.Write(ref _answered, true);
        if (Notifications is { } notifications)
        {
            if (notifications.Reader.Count < MaxQueued)
            {
                notifications.Writer.TryWrite(response);
            }
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

using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>A request a client sent and the response it waits for, matched by (peer, token) (RFC 7252 §5.3.2).</summary>
internal sealed class ClientExchange
{
    public ClientExchange(CoapPeer peer, CoapToken token)
    {
        Peer = peer;
        Token = token;
    }

    public CoapPeer Peer { get; }

    public CoapToken Token { get; }

    /// <summary>The message ID of the request, to stop its retransmission once any response arrives.</summary>
    public ushort MessageId { get; set; }

    public TaskCompletionSource<CoapMessage> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

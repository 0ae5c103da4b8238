namespace Coap.Engine.Oscore;

/// <summary>
/// What binds responses to their request (RFC 8613 §7.1): the request's kid and Partial IV, which go into every
/// response's AAD. Kept by the server until the last response (notification) is sent, and by the client until the
/// last response arrives.
/// </summary>
public sealed class OscoreRequestBinding
{
    private int _requestNonceFree;

    internal OscoreRequestBinding(byte[] requestKid, byte[] requestPartialIv, bool requestNonceReusable)
    {
        RequestKid = requestKid;
        RequestPartialIv = requestPartialIv;
        _requestNonceFree = requestNonceReusable ? 1 : 0;
    }

    public byte[] RequestKid { get; }

    public byte[] RequestPartialIv { get; }

    /// <summary>
    /// The first response to a request whose freshness was verified may reuse the request's nonce (§5.2, C.7); every
    /// later one (notifications) and any answer to an unverified request must carry its own Partial IV (C.8).
    /// </summary>
    internal bool TryClaimRequestNonce() => Interlocked.Exchange(ref _requestNonceFree, 0) == 1;
}

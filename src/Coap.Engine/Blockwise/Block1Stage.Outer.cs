using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Outer Block1 on a protected request (RFC 8613 §4.1.3.4.2): the OSCORE message itself, split by the client or a
/// proxy, is put together here before anything is unprotected, under the same rules and limits as a plain Block1
/// upload (its blocks belong together by <see cref="UploadKey"/>, whose options include the OSCORE option, so each
/// protected request is an upload of its own; unfinished ones count against the pending-upload quotas and expire after
/// EXCHANGE_LIFETIME). The limit on the whole protected message (RFC 8613's MAX_UNFRAGMENTED_SIZE) is the one on an
/// assembled body, Coap:MaxBodySize and the peer's share of memory. The answers to unfinished blocks are unprotected
/// (2.31, and 4.00, 4.08, 4.13, 5.03), as a proxy's would be: nothing about the request is known before it verifies.
/// </summary>
internal sealed partial class Block1Stage
{
    /// <summary>
    /// Takes one Outer block of a protected request: the unprotected answer while the message is unfinished or refused,
    /// or null with <paramref name="whole"/> the protected request in one piece (without Block1 and Size1) and
    /// <paramref name="echo"/> the final Block1 its protected response carries.
    /// </summary>
    public CoapMessage? TakeOuter(CoapPeer peer, CoapMessage protectedRequest, out CoapMessage? whole, out BlockValue echo)
    {
        whole = null;
        echo = default;
        if (!BlockRequests.TryGetBlock(protectedRequest, OptionNumber.Block1, out var block))
        {
            return ReservedBlockSize.Answer(OptionNumber.Block1);
        }

        var length = protectedRequest.Payload.Length;
        if (block.More ? length != block.Size : length > block.Size)
        {
            return Diagnostic(CoapCode.BadRequest, $"Block1 {block} carries {length} bytes");
        }

        var key = UploadKey.From(peer, protectedRequest);
        var announced = protectedRequest.Options.GetUInt(OptionNumber.Size1);
        if ((block.Number == 0 && announced > _maxAssembled) || block.Offset + length > _maxAssembled)
        {
            Forget(key, null);
            return TooLarge(_maxAssembled);
        }

        echo = new BlockValue(block.Number, block.More, Math.Min(block.SizeExponent, _maxExponent));
        var answer = Take(key, block, echo, protectedRequest.Payload, out var body);
        if (answer is null)
        {
            whole = Whole(protectedRequest, body);
        }

        return answer;
    }
}

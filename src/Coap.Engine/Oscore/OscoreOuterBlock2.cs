using System.Diagnostics.CodeAnalysis;
using Coap.Engine.Blockwise;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

/// <summary>
/// Outer Block2 on protected responses (RFC 8613 §4.1.3.4.2 with RFC 7959): a client or proxy that asks for the
/// protected response in blocks (an Outer Block2 on the protected request) gets block 0 of it, and the whole protected
/// response is kept for EXCHANGE_LIFETIME (at most <see cref="ResponseCache{TKey}.DefaultMaxEntries"/>) to serve its later blocks.
/// The request for a later block repeats the protected request's OSCORE option (its Partial IV), which the replay
/// window would refuse, so it is answered from what was kept and never unprotected again. Without an Outer Block2 the
/// protected response goes whole; inner block-wise keeps it near one block anyway.
/// </summary>
internal sealed class OscoreOuterBlock2
{
    private readonly ResponseCache<UploadKey> _whole;

    public OscoreOuterBlock2(TimeProvider time, TimeSpan lifetime)
    {
        _whole = new ResponseCache<UploadKey>(time, lifetime);
    }

    /// <summary>A later block (number above 0) of the protected response kept for this request, if one is kept.</summary>
    public bool TryServeLater(CoapMessage protectedRequest, CoapPeer peer, [NotNullWhen(true)] out CoapMessage? block)
    {
        block = null;
        if (!BlockRequests.TryGetBlock(protectedRequest, OptionNumber.Block2, out var asked) || asked.Number == 0
            || !_whole.TryGet(UploadKey.From(peer, protectedRequest), out var whole))
        {
            return false;
        }

        block = BlockSlicer.Slice(whole, asked, includeSize: protectedRequest.Options.Contains(OptionNumber.Size2));
        return true;
    }

    /// <summary>The protected response as it goes out: block 0 of it when the request asked for smaller blocks.</summary>
    public CoapMessage Limit(CoapMessage protectedRequest, CoapPeer peer, CoapMessage protectedResponse)
    {
        if (!BlockRequests.TryGetBlock(protectedRequest, OptionNumber.Block2, out var asked) || asked.Number != 0
            || protectedResponse.Payload.Length <= asked.Size || protectedResponse.Options.Contains(OptionNumber.Observe))
        {
            return protectedResponse;
        }

        _whole.Add(UploadKey.From(peer, protectedRequest), protectedResponse);
        return BlockSlicer.Slice(protectedResponse, asked, includeSize: true);
    }
}

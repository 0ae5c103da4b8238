using System.Net;
using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;

namespace Services.Proxy;

/// <summary>
/// Whole upstream answers a client is fetching block by block (RFC 7959 §2.4) when the cache does not hold them (it
/// is off, or the answer is not cacheable): the engine serves each Block2 request by slicing the handler's whole
/// answer, so without this every block would fetch the whole body from the upstream again. Kept in the engine's
/// <see cref="ResponseCache{TKey}"/> by client endpoint and cache key for <see cref="ProxyOptions.TransferLifetime"/>,
/// dropped once the last block is asked for, and bounded in bytes (<see cref="ProxyOptions.TransferBytes"/>): past it
/// the oldest go first.
/// </summary>
internal sealed class TransferBodies
{
    private readonly ResponseCache<(IPEndPoint Peer, string Key)> _answers;

    public TransferBodies(long capacity, TimeSpan lifetime, TimeProvider time)
    {
        _answers = new ResponseCache<(IPEndPoint, string)>(time, lifetime, int.MaxValue, capacity);
    }

    public long Bytes => _answers.Bytes;

    /// <summary>Whether an answer should be kept for the blocks after the first: a 2.05 larger than the block the client asked for (or the default 1024).</summary>
    public static bool Worth(CoapMessage request, CoapMessage response) =>
        response.Code == CoapCode.Content && response.Payload.Length > RequestedSize(request);

    /// <summary>
    /// A copy of the answer kept for a later block of a transfer (Block2 NUM &gt; 0); the entry is dropped when this
    /// is the last block.
    /// </summary>
    public CoapMessage? Find(IPEndPoint peer, string key, CoapMessage request)
    {
        if (!request.Options.TryGet(OptionNumber.Block2, out var option) || !BlockValue.TryDecode(option.Value.Span, out var block) || block.Number == 0
            || !_answers.TryGet((peer, key), out var answer))
        {
            return null;
        }

        if (block.Offset + block.Size >= answer.Payload.Length)
        {
            _answers.Remove((peer, key));
        }

        return Copy(answer);
    }

    /// <summary>Keeps an answer for the client's next blocks (replacing the one of an earlier transfer of the same key).</summary>
    public void Keep(IPEndPoint peer, string key, CoapMessage response) => _answers.Add((peer, key), Copy(response));

    private static int RequestedSize(CoapMessage request) =>
        request.Options.TryGet(OptionNumber.Block2, out var option) && BlockValue.TryDecode(option.Value.Span, out var block) ? block.Size : 1024;

    /// <summary>The engine fills in (and slices) the message it is given: every block gets a copy.</summary>
    private static CoapMessage Copy(CoapMessage message)
    {
        var copy = CoapMessage.CreateResponse(message.Code, message.Payload);
        foreach (var option in message.Options)
        {
            copy.Options.Add(option);
        }

        return copy;
    }
}

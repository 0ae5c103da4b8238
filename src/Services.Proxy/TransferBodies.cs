using System.Net;
using Coap.Engine.Protocol;

namespace Services.Proxy;

/// <summary>
/// Whole upstream answers a client is fetching block by block (RFC 7959 §2.4) when the cache does not hold them (it
/// is off, or the answer is not cacheable): the engine serves each Block2 request by slicing the handler's whole
/// answer, so without this every block would fetch the whole body from the upstream again. Kept by client endpoint
/// and cache key for <see cref="ProxyOptions.TransferLifetime"/>, dropped once the last block is asked for, and
/// bounded in bytes (<see cref="ProxyOptions.TransferBytes"/>): past it the oldest go first.
/// </summary>
internal sealed class TransferBodies
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(IPEndPoint Peer, string Key), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _byAge = new();
    private readonly TimeProvider _time;
    private readonly long _capacity;
    private readonly long _lifetimeTicks;
    private long _bytes;

    public TransferBodies(long capacity, TimeSpan lifetime, TimeProvider time)
    {
        _capacity = capacity;
        _time = time;
        _lifetimeTicks = (long)(lifetime.TotalSeconds * time.TimestampFrequency);
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Whether an answer should be kept for the blocks after the first: a 2.05 larger than the block the client asked for (or the default 1024).</summary>
    public static bool Worth(CoapMessage request, CoapMessage response) =>
        response.Code == CoapCode.Content && response.Payload.Length > RequestedSize(request);

    /// <summary>
    /// A copy of the answer kept for a later block of a transfer (Block2 NUM &gt; 0); the entry is dropped when this
    /// is the last block.
    /// </summary>
    public CoapMessage? Find(IPEndPoint peer, string key, CoapMessage request)
    {
        if (!request.Options.TryGet(OptionNumber.Block2, out var option) || !BlockValue.TryDecode(option.Value.Span, out var block) || block.Number == 0)
        {
            return null;
        }

        lock (_gate)
        {
            if (!_entries.TryGetValue((peer, key), out var node))
            {
                return null;
            }

            if (node.Value.Expires <= _time.GetTimestamp())
            {
                RemoveLocked(node);
                return null;
            }

            if (block.Offset + block.Size >= node.Value.Response.Payload.Length)
            {
                RemoveLocked(node);
            }

            return Copy(node.Value.Response);
        }
    }

    /// <summary>Keeps an answer for the client's next blocks (replacing the one of an earlier transfer of the same key).</summary>
    public void Keep(IPEndPoint peer, string key, CoapMessage response)
    {
        var size = 128L + (key.Length * 2) + response.Payload.Length;
        if (size > _capacity)
        {
            return;
        }

        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_entries.TryGetValue((peer, key), out var old))
            {
                RemoveLocked(old);
            }

            while (_byAge.First is { } oldest && (oldest.Value.Expires <= now || _bytes + size > _capacity))
            {
                RemoveLocked(oldest);
            }

            _entries.Add((peer, key), _byAge.AddLast(new Entry(peer, key, Copy(response), now + _lifetimeTicks, size)));
            _bytes += size;
        }
    }

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

    /// <summary>Callers hold the lock.</summary>
    private void RemoveLocked(LinkedListNode<Entry> node)
    {
        _byAge.Remove(node);
        _entries.Remove((node.Value.Peer, node.Value.Key));
        _bytes -= node.Value.Size;
    }

    private sealed record Entry(IPEndPoint Peer, string Key, CoapMessage Response, long Expires, long Size);
}

using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// One peer's requests waiting for a worker (<see cref="RequestQueue"/>): a ring that grows by doubling up to the
/// per-peer limit and keeps its slots for the peer's later requests, so queueing allocates nothing once warm. Guarded by
/// the queue's lock.
/// </summary>
internal sealed class PeerRequests
{
    private const int InitialCapacity = 4;

    private QueuedRequest[] _items = new QueuedRequest[InitialCapacity];
    private int _first;

    public PeerRequests(CoapPeer peer)
    {
        Peer = peer;
    }

    public CoapPeer Peer { get; }

    /// <summary>Requests waiting, not counting one a worker is handling.</summary>
    public int Count { get; private set; }

    /// <summary>On the queue's ready list or in a worker's hands; a peer is never handled by two workers at once.</summary>
    public bool Scheduled { get; set; }

    /// <summary>The next peer on the ready list.</summary>
    public PeerRequests? Next { get; set; }

    public void Add(CoapMessage request, long arrived)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[(_first + Count) & (_items.Length - 1)] = new QueuedRequest(request, arrived);
        Count++;
    }

    public QueuedRequest Take()
    {
        var item = _items[_first];
        _items[_first] = default;
        _first = (_first + 1) & (_items.Length - 1);
        Count--;
        return item;
    }

    private void Grow()
    {
        var larger = new QueuedRequest[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            larger[i] = _items[(_first + i) & (_items.Length - 1)];
        }

        _items = larger;
        _first = 0;
    }
}

/// <summary>A request and when its datagram arrived (TimeProvider timestamp), for the separate-response deadline.</summary>
internal readonly record struct QueuedRequest(CoapMessage Request, long Arrived);

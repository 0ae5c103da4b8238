using System.Net;
using Coap.Engine.Transport;

namespace Coap.Engine.Messaging;

/// <summary>
/// The peers seen through one transport, looked up by the receive buffer's address without allocating, at most
/// Coap:MaxPeers of them. Callers hold the table's lock.
/// </summary>
/// <remarks>
/// Peers are also listed least recently active first (a list threaded through the peers themselves, so a lookup moves a
/// peer to the end with no allocation). The sweep takes idle peers from the front and stops at the first active one, so
/// it never walks the table; a peer that cannot be forgotten (it observes, or a client request to it is in flight) is
/// moved to the end as if active, so it is looked at again only after another EXCHANGE_LIFETIME. A new address when
/// the table is full takes the place of the least recently active peer that can be forgotten; when the first few
/// cannot, the datagram is refused rather than the table walked.
/// </remarks>
internal sealed class PeerTable
{
    /// <summary>How many peers at the front a full table looks at for one to forget.</summary>
    internal const int EvictionAttempts = 8;

    private readonly Dictionary<SocketAddress, CoapPeer> _peers = [];
    private readonly int _capacity;
    private readonly PeerList _order = new(static peer => ref peer.Listed);

    public PeerTable(IDatagramTransport transport, int capacity)
    {
        Transport = transport;
        _capacity = capacity;
    }

    public IDatagramTransport Transport { get; }

    public int Count => _peers.Count;

    /// <summary>Finds or adds the peer; null when the table is full of peers it may not forget.</summary>
    public CoapPeer? GetOrAdd(SocketAddress address, long now)
    {
        if (_peers.TryGetValue(address, out var peer))
        {
            MoveToEnd(peer, now);
            return peer;
        }

        if (_peers.Count >= _capacity && !ForgetOne(now))
        {
            return null;
        }

        peer = new CoapPeer(Transport, address);
        _peers.Add(peer.Address, peer);
        Append(peer, now);
        return peer;
    }

    /// <summary>Finds a known peer without adding one; callers hold the endpoint's lock.</summary>
    public CoapPeer? Find(SocketAddress address) => _peers.GetValueOrDefault(address);

    /// <summary>
    /// Forgets up to <paramref name="limit"/> peers idle since <paramref name="idleBefore"/> that hold no client state
    /// and no observation, from the front of the order; true when none is left to look at.
    /// </summary>
    public bool RemoveIdle(long idleBefore, long now, int limit)
    {
        for (var looked = 0; looked < limit; looked++)
        {
            if (_order.First is not { } peer || peer.LastActivity >= idleBefore)
            {
                return true;
            }

            if (CanForget(peer))
            {
                Remove(peer);
            }
            else
            {
                MoveToEnd(peer, now);
            }
        }

        return false;
    }

    private static bool CanForget(CoapPeer peer) =>
        peer.Observations == 0 && (peer.NStartGate is null || peer.NStartGate.CurrentCount == peer.NStart);

    private bool ForgetOne(long now)
    {
        for (var attempt = 0; attempt < EvictionAttempts && _order.First is { } peer; attempt++)
        {
            if (CanForget(peer))
            {
                Remove(peer);
                return true;
            }

            MoveToEnd(peer, now);
        }

        return false;
    }

    private void Remove(CoapPeer peer)
    {
        _order.Remove(peer);
        _peers.Remove(peer.Address);
    }

    private void MoveToEnd(CoapPeer peer, long now)
    {
        peer.LastActivity = now;
        if (peer != _order.Last)
        {
            _order.Remove(peer);
            _order.Append(peer);
        }
    }

    private void Append(CoapPeer peer, long now)
    {
        peer.LastActivity = now;
        _order.Append(peer);
    }
}

namespace Coap.Engine.Messaging;

/// <summary>A peer's place in one <see cref="PeerList"/>: its neighbours there.</summary>
internal struct PeerLink
{
    public CoapPeer? Before;
    public CoapPeer? After;
}

/// <summary>Which of a peer's <see cref="PeerLink"/> fields a list threads through.</summary>
internal delegate ref PeerLink PeerLinkOf(CoapPeer peer);

/// <summary>
/// A doubly linked list of peers threaded through a field of each peer (so adding, removing and moving cost no
/// allocation and no lookup), first to last in the order of appending. Not thread-safe: the owner's lock guards it.
/// </summary>
internal sealed class PeerList(PeerLinkOf linkOf)
{
    public CoapPeer? First { get; private set; }

    public CoapPeer? Last { get; private set; }

    public void Append(CoapPeer peer)
    {
        ref var link = ref linkOf(peer);
        link.Before = Last;
        link.After = null;
        if (Last is null)
        {
            First = peer;
        }
        else
        {
            linkOf(Last).After = peer;
        }

        Last = peer;
    }

    public void Remove(CoapPeer peer)
    {
        ref var link = ref linkOf(peer);
        if (link.Before is null)
        {
            First = link.After;
        }
        else
        {
            linkOf(link.Before).After = link.After;
        }

        if (link.After is null)
        {
            Last = link.Before;
        }
        else
        {
            linkOf(link.After).Before = link.Before;
        }

        link = default;
    }
}

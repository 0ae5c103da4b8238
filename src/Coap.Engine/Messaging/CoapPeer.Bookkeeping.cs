namespace Coap.Engine.Messaging;

/// <summary>
/// Where the peer stands in the message layer's bounded tables, kept on the peer so that finding it costs no lookup:
/// its place in the peer table's order (<see cref="PeerTable"/>) and its deduplication entries
/// (<see cref="Deduplicator"/>). Each part is read and written only under the lock of the table that owns it.
/// </summary>
internal sealed partial class CoapPeer
{
    /// <summary>The peer's neighbours in its table's order: before it less recently active, after it more.</summary>
    public PeerLink Listed;

    /// <summary>The peer's oldest deduplication entry, or -1.</summary>
    public int DeduplicationOldest { get; set; } = -1;

    /// <summary>The peer's newest deduplication entry, or -1.</summary>
    public int DeduplicationNewest { get; set; } = -1;

    /// <summary>The deduplication units the peer's entries take (<see cref="Deduplicator.UnitCost"/> bytes each).</summary>
    public int DeduplicationUnits { get; set; }

    /// <summary>The peer's neighbours among those holding more than their deduplication reserve.</summary>
    public PeerLink DeduplicationOver;
}

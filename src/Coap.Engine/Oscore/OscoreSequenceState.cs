namespace Coap.Engine.Oscore;

/// <summary>
/// The mutable state of a security context as persisted (aiocoap's sequence.json): the next Sender Sequence Number
/// that may be used after a restart, and the replay window, or null for "unknown" (after a crash, §B.1.2).
/// </summary>
public sealed record OscoreSequenceState(long NextToSend, OscoreWindowState? Received);

/// <summary>A replay window as persisted: aiocoap's {"index": …, "bitfield": …}.</summary>
public readonly record struct OscoreWindowState(long Index, ulong Bitfield);

/// <summary>Where a security context writes its state; a blocking call (fsync), never on a receive thread.</summary>
public interface IOscoreStateStore
{
    void Save(OscoreSequenceState state);
}

namespace Coap.Fuzzing;

/// <summary>
/// A datagram for the driver to send from peer <see cref="Peer"/> (0 to the client's peer count − 1), after moving
/// the server's clock on by <see cref="AdvanceBefore"/> so that timers (separate responses, upload expiry, Observe
/// ticks, topic expiration) run; a driver on real time ignores it.
/// </summary>
public readonly record struct FuzzDatagram(int Peer, byte[] Bytes, TimeSpan AdvanceBefore);

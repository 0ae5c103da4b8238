namespace Coap.Fuzzing;

/// <summary>
/// One step of a scenario: a datagram from a peer, sent after the server's clock moved on by <see cref="Pause"/>.
/// </summary>
internal readonly record struct FuzzStep(int Peer, byte[] Datagram, TimeSpan Pause = default);

namespace Coap.Engine.Client;

/// <summary>
/// How far a block-wise transfer has come (RFC 7959, RFC 9177): bytes sent or received so far, and the whole size when
/// known (the payload for an upload; Size2 for a download, when the server sends it, RFC 7959 §4); with Q-Block, the
/// blocks asked for again so far (lost on the way).
/// </summary>
public readonly record struct TransferProgress(long BytesDone, long? Total, int Retransmissions = 0);

namespace Coap.Testing.Relay;

/// <summary>
/// How an <see cref="ImpairmentRelay"/> spoils the path, per direction. The probabilities are read for every datagram,
/// so a test may change them while the relay runs (for instance set <see cref="Loss"/> to 1 to cut the link).
/// </summary>
public sealed class ImpairmentOptions
{
    /// <summary>One-way delay added to every datagram in this direction.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The probability (0 to 1) that a datagram is dropped.</summary>
    public double Loss { get; set; }

    /// <summary>The probability (0 to 1) that a datagram is delivered twice.</summary>
    public double Duplication { get; set; }

    /// <summary>
    /// The probability (0 to 1) that a datagram is held back by <see cref="ReorderDelay"/> more, so that the ones sent
    /// after it overtake it.
    /// </summary>
    public double Reordering { get; set; }

    /// <summary>The extra delay of a reordered datagram.</summary>
    public TimeSpan ReorderDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The most datagrams waiting in this direction; one more is dropped (a router's tail drop), so a fast sender cannot
    /// make the relay hold unbounded memory.
    /// </summary>
    public int MaxQueued { get; set; } = 4096;
}

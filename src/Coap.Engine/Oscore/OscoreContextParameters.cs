namespace Coap.Engine.Oscore;

/// <summary>
/// The input parameters of a security context (RFC 8613 §3.2): Master Secret, optional Master Salt (empty when
/// absent), Sender and Recipient ID, optional ID Context (null when absent, which differs from empty in the
/// derivation), and the replay window size.
/// </summary>
public sealed record OscoreContextParameters(
    byte[] MasterSecret,
    byte[] SenderId,
    byte[] RecipientId,
    byte[]? MasterSalt = null,
    byte[]? IdContext = null,
    int ReplayWindowSize = OscoreReplayWindow.DefaultSize)
{
    /// <summary>A message naming what is wrong, or null.</summary>
    public string? Validate()
    {
        if (SenderId.Length > OscoreAlgorithm.MaxIdLength || RecipientId.Length > OscoreAlgorithm.MaxIdLength)
        {
            return $"the Sender and Recipient ID have at most {OscoreAlgorithm.MaxIdLength} bytes with {OscoreAlgorithm.Name}";
        }

        if (SenderId.AsSpan().SequenceEqual(RecipientId))
        {
            return "the Sender ID and the Recipient ID must differ (RFC 8613 §3.3)";
        }

        if (IdContext is { Length: > byte.MaxValue })
        {
            return "the ID Context has at most 255 bytes (it travels behind a one-byte length)";
        }

        if (ReplayWindowSize is < 1 or > OscoreReplayWindow.MaxSize)
        {
            return $"the replay window holds 1 to {OscoreReplayWindow.MaxSize} numbers";
        }

        return MasterSecret.Length == 0 ? "the Master Secret is empty" : null;
    }
}

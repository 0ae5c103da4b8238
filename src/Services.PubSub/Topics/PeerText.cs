namespace Services.PubSub.Topics;

/// <summary>
/// A client's value as a refusal quotes it: at most <see cref="MaxLength"/> characters, so a diagnostic stays brief
/// (RFC 7252 §5.5.2) whatever the client sent.
/// </summary>
internal static class PeerText
{
    public const int MaxLength = 32;

    public static string Quote(string value) =>
        value.Length <= MaxLength ? $"\"{value}\"" : $"\"{value[..MaxLength]}…\" ({value.Length} characters)";
}

namespace Services.Doc.Dns;

/// <summary>
/// A DNS message that breaks RFC 1035 §4: truncated, a compression pointer that loops or leaves the message, a label
/// over 63 octets or a name over 255 (§2.3.4), RDATA that does not fill its RDLENGTH. The codec throws nothing else
/// for bad input.
/// </summary>
public sealed class DnsFormatException(string message, int offset) : Exception($"{message} (at offset {offset})")
{
    /// <summary>Where in the message the problem was found; -1 when writing.</summary>
    public int Offset { get; } = offset;
}

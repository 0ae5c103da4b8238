namespace Services.Doc.Dns;

/// <summary>SOA (RFC 1035 §3.3.13); <see cref="Minimum"/> bounds negative caching (RFC 2308 §5).</summary>
public sealed record SoaData(string PrimaryServer, string Mailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : DnsRecordData
{
    public override string ToText() =>
        $"{DnsName.ToText(PrimaryServer)} {DnsName.ToText(Mailbox)} {Serial} {Refresh} {Retry} {Expire} {Minimum}";

    internal override void Write(DnsWriter writer)
    {
        writer.WriteName(PrimaryServer, compress: true);
        writer.WriteName(Mailbox, compress: true);
        writer.WriteUInt32(Serial);
        writer.WriteUInt32(Refresh);
        writer.WriteUInt32(Retry);
        writer.WriteUInt32(Expire);
        writer.WriteUInt32(Minimum);
    }
}
